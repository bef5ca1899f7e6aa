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

/** The notebooks as committed: short cells with prose before them, solutions collapsed, no outputs. */
class NotebookStyleTest {

    @Test
    void cellsAreShortNarrowAndPrecededByProse() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path notebook : notebooks()) {
            List<JsonObject> cells = cells(notebook);
            boolean inSolutions = false;
            for (int i = 0; i < cells.size(); i++) {
                JsonObject cell = cells.get(i);
                String source = source(cell);
                String where = notebook.getFileName() + " cell " + i;
                if (isMarkdown(cell)) {
                    inSolutions |= source.contains("## Solutions");
                    continue;
                }
                String[] lines = source.split("\n");
                if (lines.length > 15) {
                    problems.add(where + ": " + lines.length + " lines (at most 15)");
                }
                Stream.of(lines).filter(l -> l.length() > 100).forEach(l -> problems.add(where + ": over 100 columns: " + l));
                if (i > 1 && !inSolutions && !isMarkdown(cells.get(i - 1))) {
                    problems.add(where + ": code cell without prose before it");
                }
                if (!cell.getAsJsonArray("outputs").isEmpty() || !cell.get("execution_count").isJsonNull()) {
                    problems.add(where + ": committed with outputs");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void solutionsAreCollapsedSoThatTheReaderTriesFirst() throws IOException {
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
            for (JsonObject solution : solutions) {
                JsonElement jupyter = solution.getAsJsonObject("metadata").get("jupyter");
                assertTrue(jupyter != null && jupyter.getAsJsonObject().get("source_hidden").getAsBoolean(),
                        notebook + ": solution not collapsed: " + source(solution).lines().findFirst().orElse(""));
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
