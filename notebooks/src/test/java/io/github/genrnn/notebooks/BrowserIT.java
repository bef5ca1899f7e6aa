package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every notebook opened in JupyterLab in headless Chromium and run as a reader would (scripts/lab_test.mjs):
 * charts visible, no errors, live output, one-line progress bars, ■ during training. Screenshots and a
 * report go to build/browser. Needs Chromium and Node.js; CI installs them, elsewhere the test is
 * skipped without them.
 */
class BrowserIT {
    private static final Path OUT = CourseRunner.ROOT.resolve("build/browser");
    /** A diagram shown in a markdown cell, as the notebook's JSON holds it. */
    private static final Pattern FIGURE = Pattern.compile("!\\[[^\\]]*\\]\\(figures/[^)]+\\.svg\\)");

    @Test
    void everyNotebookRunsInJupyterLab() throws Exception {
        boolean browser = Stream.of("chromium", "chromium-browser", "google-chrome").anyMatch(BrowserIT::onPath) && onPath("node");
        assumeTrue(browser || System.getenv("CI") != null, "no Chromium or Node.js on PATH: the browser test is skipped");
        var result = CourseRunner.course(List.of("browser-test", "--kernel-dir", CourseRunner.MODULE.resolve("target/kernel").toString(),
                "--out", OUT.toString()), Map.of(), OUT);
        String report = Files.exists(OUT.resolve("report.txt")) ? Files.readString(OUT.resolve("report.txt")) : "";
        assertEquals(0, result.exitCode(), result.log());
        List<String> notebooks;
        try (var files = Files.list(CourseRunner.MODULE)) {
            notebooks = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().toList();
        }
        for (String notebook : notebooks) {
            String name = notebook.replace(".ipynb", "");
            assertTrue(report.contains("ok   notebooks/" + notebook + ": no cell shows an error"), notebook + "\n" + report);
            assertTrue(report.contains("ok   notebooks/" + notebook + ": each of its"), notebook + "\n" + report);
            long diagrams = FIGURE.matcher(Files.readString(CourseRunner.MODULE.resolve(notebook))).results().count();
            assertTrue(report.contains("ok   notebooks/" + notebook + ": each of its " + diagrams + " diagrams is a visible image"),
                    notebook + "\n" + report);
            assertTrue(Files.size(OUT.resolve(name + ".png")) > 10_000, name + ".png");
        }
        assertTrue(report.contains("interrupt: a new cell runs in the same kernel with earlier variables"), report);
        assertTrue(report.contains("output appears while a cell is still running"), report);
        assertTrue(report.contains("browser: ") && report.contains(" passed, 0 failed"), report);
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
