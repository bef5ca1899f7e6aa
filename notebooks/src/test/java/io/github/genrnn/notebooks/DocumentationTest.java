package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README and the pages in docs/: links that resolve, and a lesson table that names every notebook. */
class DocumentationTest {
    private static final Path ROOT = CourseRunner.ROOT;
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkResolvesToAFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher link = LINK.matcher(Files.readString(page));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // a web address
                }
                String[] parts = target.split("#", 2);
                Path file = parts[0].isEmpty() ? page : page.getParent().resolve(parts[0]).normalize();
                String where = ROOT.relativize(page) + " links to " + target;
                if (!Files.exists(file)) {
                    broken.add(where + ": no such file");
                } else if (parts.length == 2 && !headings(file).contains(parts[1])) {
                    broken.add(where + ": no such heading in " + ROOT.relativize(file));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theLessonTableNamesEveryNotebookAndTheReadmeLinksEveryPage() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Set<String> inTable = Pattern.compile("(?m)^\\| `([0-9][^`]*)` \\|").matcher(readme).results()
                .map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
        try (Stream<Path> files = Files.list(ROOT.resolve("notebooks"))) {
            assertEquals(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".ipynb"))
                    .map(n -> n.substring(0, n.length() - ".ipynb".length()))
                    .collect(Collectors.toCollection(TreeSet::new)), inTable);
        }
        Set<String> linked = LINK.matcher(readme).results().map(m -> m.group(1))
                .filter(t -> t.startsWith("docs/")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(pages().stream().filter(p -> !p.endsWith("README.md"))
                .map(p -> ROOT.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new)), linked);
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The anchors of a Markdown file's headings, as GitHub makes them. */
    private static Set<String> headings(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }
}
