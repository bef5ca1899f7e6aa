package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.CharLoss;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.Checkpoint;
import io.github.genrnn.GeneratorSpec;
import io.github.genrnn.NewsArticle;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExperimentsNotebookIT {
    private static final String KERAS = "Keras recipe (lower case)";
    private static final List<String> ON_FOOTING = List.of("LSTM(64)", "LSTM(128)", "LSTM(256)", "2×LSTM(128)",
            "3×LSTM(128)", "GRU(128)", "LSTM(128), windows per text", "LSTM(128), shuffled windows");
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("06-experiments");
    private final boolean smoke = CourseRunner.SCALE.equals("smoke");
    private final int budget = smoke ? 3 : 40;

    /** What a run printed: its steps, seconds of training and best validation loss in bits. */
    private record Run(long steps, double seconds, double bits) {
    }

    /** The runs in the order they were printed, by name. */
    private Map<String, Run> runs() {
        Matcher m = Pattern.compile("(?m)^(.+): (\\d+) steps in ([\\d.]+) s \\([\\d.]+ s each\\), best ([\\d.]+) bits per character$")
                .matcher(notebook.text());
        Map<String, Run> runs = new LinkedHashMap<>();
        while (m.find()) {
            runs.put(m.group(1), new Run(Long.parseLong(m.group(2)), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))));
        }
        return runs;
    }

    /** The vocabulary the lesson builds: from its cleaned training texts. */
    private CharVocabulary vocabulary() {
        return CharVocabulary.fromTexts(SharedTitles.news().train().stream().limit(smoke ? 256 : 2_000).map(NewsArticle::cleaned)
                .map(a -> a.title() + " " + a.description()).toList());
    }

    @Test
    void theGruByHandEqualsDl4jsLayerAndBothEngines() {
        assertTrue(lessThan(notebook.cell("by hand vs DL4J's GRU layer").text(), "by hand vs DL4J's GRU layer: ", 1e-6));
        assertTrue(lessThan(notebook.cell("between the engines").text(), "between the engines: ", 1e-6));
        long count = GeneratorSpec.gru(vocabulary().size(), 8).parameterCount();
        assertTrue(notebook.cell("DL4J counts").text().contains(String.format("= %,d; DL4J counts %,d", count, count)),
                notebook.cell("DL4J counts").text());
    }

    private static boolean lessThan(String text, String label, double limit) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "(\\d\\.\\de[-+]\\d+)").matcher(text);
        return m.find() && Double.parseDouble(m.group(1)) < limit;
    }

    @Test
    void settingsThatCannotWorkAreRefusedBeforeTraining() {
        String refused = notebook.cell("List<Runnable> impossible").text();
        int texts = smoke ? 256 : 2_000;
        assertEquals("refused: Use 1 to 3 recurrent layers, not 0\n"
                + "refused: The hidden size must be at least 1, not -8\n"
                + "refused: The dropout probability must be in [0, 1), not 1.0\n"
                + "refused: All " + texts + " texts are shorter than one window of 100000 characters plus the one after it; "
                + "use a smaller nchars.\n", refused);
    }

    @Test
    void everyRunTrainsForTheSameTimeAndItsBestIsTheSavedOne() {
        Map<String, Run> runs = runs();
        List<String> expected = new java.util.ArrayList<>(ON_FOOTING);
        expected.addAll(List.of(KERAS, "2×GRU(64)"));
        assertEquals(expected, List.copyOf(runs.keySet()), notebook.text());
        double uniformBits = CharLoss.bits(Math.log(vocabulary().size()));
        runs.forEach((name, run) -> {
            assertTrue(run.seconds() >= budget && run.seconds() < budget + 5, name + " " + run);
            assertTrue(run.steps() > 0 && run.bits() < uniformBits, name + " " + run);
            Checkpoint best = Checkpoint.load(CourseRunner.ROOT.resolve("build/checkpoints/experiments-" + CourseRunner.SCALE)
                    .resolve(name.replaceAll("[^A-Za-z0-9]+", "-")).resolve("best.zip"));
            assertEquals(run.bits(), CharLoss.bits(best.history().bestValidation()), 0.0005, name);
            assertEquals(name.contains("GRU") ? GeneratorSpec.Cell.GRU : GeneratorSpec.Cell.LSTM, best.spec().cell(), name);
        });
        assertEquals(1, notebook.cell("Charts.lines(").images());
        String table = notebook.cell("table.printAll()").text();
        assertTrue(table.contains("parameters") && table.contains("best bits") && table.contains("T = 0.8"), table);
        runs.keySet().stream().filter(n -> !n.equals("2×GRU(64)")).forEach(n -> assertTrue(table.contains(n), n + " in " + table));
    }

    @Test
    void theConclusionsFollowFromTheRuns() {
        Map<String, Run> runs = runs();
        double least = ON_FOOTING.stream().mapToDouble(n -> runs.get(n).bits()).min().orElseThrow();
        String said = notebook.cell("Most learned in").text();
        Matcher most = Pattern.compile("Most learned in " + budget + " s: (.+), ([\\d.]+) bits per character;").matcher(said);
        assertTrue(most.find() && ON_FOOTING.contains(most.group(1)), said);
        // Two runs can print the same rounded loss; the one named must be among the lowest printed.
        assertEquals(least, runs.get(most.group(1)).bits(), 0.0, said);
        assertEquals(least, Double.parseDouble(most.group(2)), 0.0, said);
        String overfit = notebook.cell("List<String> rose").text();
        assertTrue(overfit.contains("No run's validation loss rose") || overfit.contains("(overfitting) for: "), overfit);
        assertTrue(overfit.contains("Widest gap: "), overfit);
        String compared = notebook.cell("void compare(").text();
        for (String[] pair : new String[][] {{"GRU(128)", "LSTM(128)"}, {"3×LSTM(128)", "LSTM(128)"}}) {
            Matcher m = Pattern.compile(Pattern.quote(pair[0] + " against " + pair[1] + ": ") + "([-+][\\d.]+) bits").matcher(compared);
            assertTrue(m.find(), compared);
            assertEquals(runs.get(pair[0]).bits() - runs.get(pair[1]).bits(), Double.parseDouble(m.group(1)), 0.0015, compared);
        }
    }

    @Test
    void bothNetworksWrite5000CharactersFromARandomWindow() {
        String written = notebook.cell("fiveThousand.put").text();
        assertTrue(written.contains(KERAS + ", 5000 characters:\n"), written);
        assertTrue(written.contains("LSTM(128), shuffled windows, 5000 characters:\n"), written);
        String variety = notebook.cell("different characters").text();
        assertTrue(variety.matches("(?s)" + Pattern.quote(KERAS) + ": \\d+ different characters, \\d+ words, .*\n"
                + "LSTM\\(128\\), shuffled windows: \\d+ different characters, .*"), variety);
    }

    @Test
    void exerciseSolutionsAreRight() {
        Map<String, Run> runs = runs();
        String most = runs.keySet().stream().filter(n -> !n.equals("2×GRU(64)"))
                .max(Comparator.comparingLong(n -> runs.get(n).steps())).orElseThrow();
        assertTrue(notebook.text().contains("Exercise 1: " + most + ", " + runs.get(most).steps() + " steps"));
        long gru256 = GeneratorSpec.gru(vocabulary().size(), 256).parameterCount();
        assertTrue(notebook.text().contains(String.format("Exercise 2: %,d by the formula, %,d by GeneratorSpec", gru256, gru256)));
        Matcher rates = Pattern.compile("Exercise 3: (\\d+) against (\\d+) characters per second").matcher(notebook.text());
        assertTrue(rates.find(), notebook.text());
        Run keras = runs.get(KERAS), windows = runs.get("LSTM(128), shuffled windows");
        int nchars = smoke ? 40 : 100;
        assertEquals(keras.steps() * 64 / keras.seconds(), Double.parseDouble(rates.group(1)), keras.steps() * 64 / keras.seconds() * 0.02 + 1);
        double windowsRate = windows.steps() * 64.0 * nchars / windows.seconds();
        assertEquals(windowsRate, Double.parseDouble(rates.group(2)), windowsRate * 0.02 + 1);
        assertTrue(runs.containsKey("2×GRU(64)"), "exercise 4 trains its own run");
    }
}
