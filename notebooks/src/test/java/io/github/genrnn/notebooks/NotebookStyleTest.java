package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The notebooks as committed: short cells with prose before them, solutions folded, no outputs. */
class NotebookStyleTest {

    /** A code block in a folded solution, as {@code ./course run --solutions} runs it. */
    private static final Pattern SOLUTION_CODE = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void cellsAreShortNarrowAndPrecededByProse() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path notebook : notebooks()) {
            List<JsonObject> cells = cells(notebook);
            for (int i = 0; i < cells.size(); i++) {
                JsonObject cell = cells.get(i);
                String where = notebook.getFileName() + " cell " + i;
                if (isMarkdown(cell)) {
                    Matcher solution = SOLUTION_CODE.matcher(source(cell));
                    while (solution.find()) {
                        checkLength(where + " (a solution's code)", solution.group(1).stripTrailing(), problems);
                    }
                    continue;
                }
                checkLength(where, source(cell), problems);
                if (i > 1 && !isMarkdown(cells.get(i - 1))) {
                    problems.add(where + ": code cell without prose before it");
                }
                if (!cell.getAsJsonArray("outputs").isEmpty() || !cell.get("execution_count").isJsonNull()) {
                    problems.add(where + ": committed with outputs");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static void checkLength(String where, String code, List<String> problems) {
        String[] lines = code.split("\n");
        if (lines.length > 15) {
            problems.add(where + ": " + lines.length + " lines (at most 15)");
        }
        Stream.of(lines).filter(l -> l.length() > 100).forEach(l -> problems.add(where + ": over 100 columns: " + l));
    }

    @Test
    void solutionsAreFoldedAndNotRunSoThatTheReaderTriesFirst() throws IOException {
        Pattern folded = Pattern.compile(
                "<details>\n<summary>Solution to exercise (\\d+)</summary>\n\n(```java\n.*?```\n\n)+</details>", Pattern.DOTALL);
        for (Path notebook : notebooks()) {
            List<JsonObject> cells = cells(notebook);
            int heading = -1;
            for (int i = 0; i < cells.size(); i++) {
                heading = heading < 0 && isMarkdown(cells.get(i)) && source(cells.get(i)).contains("## Solutions") ? i : heading;
            }
            if (notebook.getFileName().toString().startsWith("00-")) {
                continue; // the stack check has no exercises
            }
            assertTrue(heading > 0, notebook + " has a Solutions heading");
            List<JsonObject> solutions = cells.subList(heading + 1, cells.size());
            assertTrue(solutions.size() >= 3, notebook + " has solutions");
            int previous = 0;
            for (JsonObject solution : solutions) {
                Matcher m = folded.matcher(source(solution));
                assertTrue(isMarkdown(solution) && m.matches(), notebook + ": a solution not folded in <details>: "
                        + source(solution).lines().findFirst().orElse(""));
                assertTrue(Integer.parseInt(m.group(1)) > previous, notebook + ": solutions out of order");
                previous = Integer.parseInt(m.group(1));
            }
        }
    }

    @Test
    void everyDiagramIsShownAndEveryShownDiagramExists() throws IOException {
        Pattern figure = Pattern.compile("!\\[([^\\]]+)\\]\\((figures/[^)]+\\.svg)\\)");
        Set<String> shown = new HashSet<>();
        for (Path notebook : notebooks()) {
            for (JsonObject cell : cells(notebook)) {
                Matcher m = figure.matcher(source(cell));
                while (m.find()) {
                    assertTrue(isMarkdown(cell), notebook + ": a diagram outside a markdown cell");
                    assertTrue(Files.isRegularFile(CourseRunner.MODULE.resolve(m.group(2))), notebook + " shows a missing " + m.group(2));
                    assertTrue(m.group(1).length() > 20, notebook + ": " + m.group(2) + " needs a description for readers who cannot see it");
                    shown.add(m.group(2));
                }
            }
        }
        try (Stream<Path> files = Files.list(CourseRunner.MODULE.resolve("figures"))) {
            assertEquals(files.map(f -> "figures/" + f.getFileName()).collect(Collectors.toSet()), shown,
                    "every file in notebooks/figures is shown by a notebook");
        }
    }

    private static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(CourseRunner.MODULE)) {
            return files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    private static List<JsonObject> cells(Path notebook) throws IOException {
        List<JsonObject> cells = new ArrayList<>();
        JsonParser.parseString(Files.readString(notebook)).getAsJsonObject().getAsJsonArray("cells")
                .forEach(c -> cells.add(c.getAsJsonObject()));
        return cells;
    }

    private static boolean isMarkdown(JsonObject cell) {
        return cell.get("cell_type").getAsString().equals("markdown");
    }

    private static String source(JsonObject cell) {
        StringBuilder text = new StringBuilder();
        cell.getAsJsonArray("source").forEach(line -> text.append(line.getAsString()));
        return text.toString();
    }
}
