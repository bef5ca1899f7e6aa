package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.CharLoss;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.Checkpoint;
import io.github.genrnn.GeneratorSpec;
import io.github.genrnn.LossHistory;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.WindowBatches;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExperimentsNotebookIT {
    private static final String KERAS = "Keras recipe (lower case)";
    private static final String LONGER = "LSTM(128), twice the steps";
    private static final List<String> ON_FOOTING = List.of("LSTM(64)", "LSTM(128)", "LSTM(256)", "2×LSTM(128)",
            "3×LSTM(128)", "GRU(128)", "LSTM(128), windows per text", "LSTM(128), shuffled windows");
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("06-experiments");
    private final boolean smoke = CourseRunner.SCALE.equals("smoke");
    private final int steps = smoke ? 12 : 300;

    /** What a run printed: its steps, seconds per step, best validation loss in bits, and whether it was still falling. */
    private record Run(long steps, double secondsPerStep, double bits, boolean stillFalling) {
    }

    /** The runs in the order they were printed, by name. */
    private Map<String, Run> runs() {
        Matcher m = Pattern.compile("(?m)^(.+): (\\d+) steps, ([\\d.]+) s each, best ([\\d.]+) bits per character(, still falling at the end)?$")
                .matcher(notebook.text());
        Map<String, Run> runs = new LinkedHashMap<>();
        while (m.find()) {
            runs.put(m.group(1), new Run(Long.parseLong(m.group(2)), Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
                    m.group(5) != null));
        }
        return runs;
    }

    /** The largest relative error of seconds per step printed to three decimals (a bound for 1/x as well, to first order). */
    private static double printedError(double printed) {
        return 0.0005 / (printed - 0.0005);
    }

    private static Checkpoint saved(String run, String file) {
        return Checkpoint.load(CourseRunner.ROOT.resolve("build/checkpoints/experiments-" + CourseRunner.SCALE)
                .resolve(run.replaceAll("[^A-Za-z0-9]+", "-")).resolve(file));
    }

    /** The vocabulary the lesson builds: from its cleaned training texts. */
    private CharVocabulary vocabulary() {
        return CharVocabulary.fromTexts(SharedTitles.news().train().stream().limit(smoke ? 256 : 2_000).map(NewsArticle::cleaned)
                .map(a -> a.title() + " " + a.description()).toList());
    }

    @Test
    void longTextsFillSeveralMinibatchesOfAtMost64Windows() {
        int nchars = smoke ? 40 : 100;
        List<String> texts = SharedTitles.news().train().stream().limit(smoke ? 256 : 2_000).map(NewsArticle::cleaned)
                .map(a -> a.title() + " " + a.description()).toList();
        var perText = WindowBatches.perText(texts, vocabulary(), nchars, 64);
        int most = texts.stream().mapToInt(t -> t.length() - nchars).max().orElseThrow();
        String line = perText.windowCount() + " windows in " + perText.batchCount() + " minibatches, a text's at most 64 to "
                + "one; the longest text alone has " + most;
        assertTrue(notebook.cell("WindowBatches.perText").text().contains(line), line);
        assertTrue(most > 64 && perText.batchCount() > texts.size() - perText.skippedTexts(), "some texts fill several");
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
        assertEquals("refused: Use 1 to 3 recurrent layers, not 0.\n"
                + "refused: The hidden size must be at least 1, not -8.\n"
                + "refused: The dropout probability must be in [0, 1), not 1.0.\n"
                + "refused: All " + texts + " texts are shorter than one window of 100000 characters plus the one after it; "
                + "use a smaller nchars.\n", refused);
    }

    @Test
    void everyRunTrainsForTheSameStepsAndItsBestIsTheSavedOne() {
        Map<String, Run> runs = runs();
        List<String> expected = new java.util.ArrayList<>(ON_FOOTING);
        expected.addAll(List.of(KERAS, LONGER, "2×GRU(64)"));
        assertEquals(expected, List.copyOf(runs.keySet()), notebook.text());
        double uniformBits = CharLoss.bits(Math.log(vocabulary().size()));
        runs.forEach((name, run) -> {
            assertEquals(name.equals(LONGER) ? 2 * steps : steps, run.steps(), name);
            assertTrue(run.secondsPerStep() > 0 && run.bits() < uniformBits, name + " " + run);
            Checkpoint best = saved(name, "best.zip");
            assertEquals(run.bits(), CharLoss.bits(best.history().bestValidation()), 0.0005, name);
            assertEquals(name.contains("GRU") ? GeneratorSpec.Cell.GRU : GeneratorSpec.Cell.LSTM, best.spec().cell(), name);
            List<LossHistory.Point> checks = saved(name, "last.zip").history().validation();
            LossHistory.Point end = checks.get(checks.size() - 1);
            assertEquals(run.steps(), end.step(), name);
            LossHistory.Point earlier = checks.stream().filter(p -> p.step() <= end.step() - run.steps() / 8)
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals(end.loss() < earlier.loss() - 0.005, run.stillFalling(), name + ": still falling against the check "
                    + "at least steps / checks before the end");
        });
        assertEquals(1, notebook.cell("Charts.lines(").images());
        String table = notebook.cell("table.printAll()").text();
        assertTrue(table.contains("parameters") && table.contains("best bits") && table.contains("T = 0.8"), table);
        runs.keySet().stream().filter(n -> !n.equals("2×GRU(64)") && !n.equals(LONGER))
                .forEach(n -> assertTrue(table.contains(n), n + " in " + table));
    }

    @Test
    void theConclusionsFollowFromTheRuns() {
        Map<String, Run> runs = runs();
        double least = ON_FOOTING.stream().mapToDouble(n -> runs.get(n).bits()).min().orElseThrow();
        String said = notebook.cell("List<Run> onFooting").text();
        Matcher lowest = Pattern.compile("Lowest loss after " + steps + " steps: (.+), ([\\d.]+) bits per character;").matcher(said);
        assertTrue(lowest.find() && ON_FOOTING.contains(lowest.group(1)), said);
        // Two runs can print the same rounded loss; the one named must be among the lowest printed.
        assertEquals(least, runs.get(lowest.group(1)).bits(), 0.0, said);
        List<String> falling = ON_FOOTING.stream().filter(n -> runs.get(n).stillFalling()).toList();
        assertTrue(said.contains(falling.isEmpty() ? "Every run had flattened by its last check."
                : "Still falling at the end, so not finished: " + String.join(", ", falling) + "."), said);
        String overfit = notebook.cell("List<String> rose").text();
        List<String> settled = ON_FOOTING.stream().filter(n -> !runs.get(n).stillFalling()).toList();
        List<String> rose = settled.stream().filter(n -> {
            LossHistory history = saved(n, "last.zip").history();
            return history.validation().get(history.validation().size() - 1).loss() > history.bestValidation() + 0.01;
        }).toList();
        assertTrue(overfit.contains(settled.isEmpty() ? "Every run was still falling, so none can be judged for overfitting yet."
                : rose.isEmpty() ? "Among the runs no longer falling, none rose after its best within its steps."
                : "Validation loss rose after its best (overfitting) for: " + String.join(", ", rose) + "."), overfit);
        assertTrue(overfit.contains("Widest gap: "), overfit);
        String compared = notebook.cell("void compare(").text();
        for (String[] pair : new String[][] {{"GRU(128)", "LSTM(128)"}, {"3×LSTM(128)", "LSTM(128)"}}) {
            Run x = runs.get(pair[0]), y = runs.get(pair[1]);
            String open = x.stillFalling() || y.stillFalling() ? " \\(still falling: not final\\)" : "";
            Matcher m = Pattern.compile(Pattern.quote(pair[0] + " against " + pair[1] + ": ") + "([-+][\\d.]+) bits per character"
                    + open + "; the code takes ([\\d.]+)× the time per step").matcher(compared);
            assertTrue(m.find(), compared);
            assertEquals(x.bits() - y.bits(), Double.parseDouble(m.group(1)), 0.0015, compared);
            double ratio = x.secondsPerStep() / y.secondsPerStep();
            double slack = ratio * (printedError(x.secondsPerStep()) + printedError(y.secondsPerStep()));
            assertEquals(ratio, Double.parseDouble(m.group(2)), 0.005 + slack + 1e-9, compared);
        }
    }

    @Test
    void theLongTextsAreWrittenAndTheirLoopsMeasured() {
        String written = notebook.cell("fiveThousand.put").text();
        for (String name : List.of(KERAS + ", greedy", "LSTM(128), shuffled windows, greedy", "LSTM(128), shuffled windows, T = 0.8")) {
            assertTrue(written.contains(name + ", "), name + " in " + written);
        }
        Matcher line = Pattern.compile("(?m)^(.+): \\d+ different characters, (?:no words at all; a loop|(\\d+) words, \\d+ different, "
                + "the commonest \"[^\"]*\" (\\d+) times; (a loop|not a loop))$").matcher(notebook.cell("a loop").text());
        int lines = 0;
        while (line.find()) {
            lines++;
            if (line.group(2) != null) {
                boolean loop = Double.parseDouble(line.group(3)) / Integer.parseInt(line.group(2)) > 0.2;
                assertEquals(loop ? "a loop" : "not a loop", line.group(4), line.group());
            }
        }
        assertEquals(3, lines, notebook.cell("a loop").text());
    }

    @Test
    void exerciseSolutionsAreRight() {
        Map<String, Run> runs = runs();
        double first = runs.get("LSTM(128)").bits(), longer = runs.get(LONGER).bits();
        Matcher exercise1 = Pattern.compile(Pattern.quote(String.format("Exercise 1: %.3f bits after %d steps, %.3f after %d: ",
                first, steps, longer, 2 * steps)) + "(.+)").matcher(notebook.text());
        assertTrue(exercise1.find(), notebook.text());
        if (Math.abs(first - longer - 0.01) > 0.002) { // the printed losses are rounded
            assertEquals(first - longer > 0.01 ? "the first run had not converged" : "more steps hardly helped", exercise1.group(1));
        }
        long gru256 = GeneratorSpec.gru(vocabulary().size(), 256).parameterCount();
        assertTrue(notebook.text().contains(String.format("Exercise 2: %,d by the formula, %,d by GeneratorSpec", gru256, gru256)));
        Matcher rates = Pattern.compile("Exercise 3: (\\d+) against (\\d+) characters per second").matcher(notebook.text());
        assertTrue(rates.find(), notebook.text());
        Run keras = runs.get(KERAS), windows = runs.get("LSTM(128), shuffled windows");
        int nchars = smoke ? 40 : 100;
        double kerasRate = 64 / keras.secondsPerStep(), windowsRate = 64.0 * nchars / windows.secondsPerStep();
        assertEquals(kerasRate, Double.parseDouble(rates.group(1)), kerasRate * printedError(keras.secondsPerStep()) + 1);
        assertEquals(windowsRate, Double.parseDouble(rates.group(2)), windowsRate * printedError(windows.secondsPerStep()) + 1);
        assertTrue(runs.containsKey("2×GRU(64)"), "exercise 4 trains its own run");
    }
}
