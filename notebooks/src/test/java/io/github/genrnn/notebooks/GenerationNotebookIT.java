package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.CharLoss;
import io.github.genrnn.Checkpoint;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.TextGenerator;
import io.github.genrnn.TitleBatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GenerationNotebookIT {
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("05-greedy-vs-soft");
    private final Checkpoint checkpoint = Checkpoint.load(CourseRunner.ROOT.resolve("build/checkpoints/titles-" + CourseRunner.SCALE + "/best.zip"));
    private final TextGenerator generator = new TextGenerator(checkpoint.network(), checkpoint.vocabulary());

    @Test
    void greedyByHandMatchesTheLibraryOnTheLessonsPrompts() {
        String greedy = notebook.cell("by hand = library").text();
        assertTrue(greedy.contains("by hand = library: true"), greedy);
        for (String prompt : new String[] {"Today ", "On Sunday ", "Moscow, ", "President ", "Little red riding hood "}) {
            String expected = checkpoint.vocabulary().covers(prompt) ? generator.greedy(prompt, 100) : prompt + "-> The vocabulary has no";
            assertTrue(greedy.contains(expected), "missing '" + expected + "' in " + greedy);
        }
    }

    @Test
    void bothEnginesWriteTheSameTitlesAndTheirMeasuredSpeedsAreShown() {
        String speeds = notebook.cell("TextGenerator onDl4j").text();
        assertTrue(speeds.contains("same titles from the same seeds: true"), speeds);
        Matcher m = Pattern.compile("DL4J rnnTimeStep: +([\\d,]+) characters per second\n"
                + "plain Java: +([\\d,]+) characters per second, (\\d+\\.\\d) times as fast").matcher(speeds);
        assertTrue(m.find(), speeds);
        double dl4j = Double.parseDouble(m.group(1).replace(",", "")), java = Double.parseDouble(m.group(2).replace(",", ""));
        assertTrue(dl4j > 0 && java > 0, speeds);
        assertEquals(java / dl4j, Double.parseDouble(m.group(3)), 0.051 + java / dl4j * 0.001, "the ratio of the two speeds printed");
    }

    @Test
    void theLossByHandIsTheLibrarysOnTheFirstCoveredHeldOutTitle() {
        String title = SharedTitles.news().test().stream().map(NewsArticle::title).filter(checkpoint.vocabulary()::covers)
                .findFirst().orElseThrow();
        double loss = CharLoss.evaluate(checkpoint.network(), TitleBatches.of(List.of(title), checkpoint.vocabulary(), 1)
                .withInput(checkpoint.spec().input()));
        String printed = notebook.cell("double libraryLoss").text();
        assertTrue(printed.startsWith(title + "\n"), printed);
        assertTrue(printed.contains(String.format("%d targets: by hand %.5f, CharLoss %.5f nats per character",
                title.length(), loss, loss)), loss + " in " + printed);
    }

    @Test
    void temperatureAndDrawsByHandAgreeWithTheLibrary() {
        Matcher largest = Pattern.compile("largest difference from the library: (\\S+)").matcher(notebook.cell("double largest = 0").text());
        assertTrue(largest.find() && Double.parseDouble(largest.group(1)) < 1e-9, notebook.cell("double largest = 0").text());
        String draws = notebook.cell("double handDistance").text();
        double[] p = generator.nextCharDistribution("President ", 1.0);
        int likeliest = IntStream.range(0, p.length).boxed().max(Comparator.comparingDouble(i -> p[i])).orElseThrow();
        assertTrue(draws.startsWith(String.format("'%s': probability %.3f, by hand ", checkpoint.vocabulary().shown(likeliest),
                p[likeliest])), draws);
        Matcher distance = Pattern.compile("draws each; distance from p: by hand (\\d\\.\\d+), library (\\d\\.\\d+)").matcher(draws);
        assertTrue(distance.find(), draws);
        double bound = CourseRunner.SCALE.equals("smoke") ? 0.1 : 0.05; // 2,000 draws at smoke scale, 20,000 otherwise
        assertTrue(Double.parseDouble(distance.group(1)) < bound && Double.parseDouble(distance.group(2)) < bound, draws);
    }

    @Test
    void showsTheSideBySideTableAndCharts() {
        String table = notebook.cell("greedy and soft generation").text();
        for (String t : new String[] {"greedy", "0.3", "0.8", "1.0", "1.3", "1.8"}) {
            assertTrue(table.contains(t), t + " in " + table);
        }
        assertEquals(1, notebook.cell("Charts.bars").images());
        assertEquals(1, notebook.cell("What temperature does").images());
        assertTrue(notebook.cell("temperature effects").text().contains("distinct words"));
    }

    @Test
    void theSweepStartsAtGreedyAndItsReadingComesFromItsTable() {
        List<double[]> rows = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^ +([\\d.]+) +\\| +([\\d.]+) +\\| +([\\d.]+) +\\| +([\\d.]+) +\\| +([\\d.]+) +\\|$")
                .matcher(notebook.cell("temperature effects").text());
        while (row.find()) {
            rows.add(IntStream.rangeClosed(1, 5).mapToDouble(g -> Double.parseDouble(row.group(g))).toArray());
        }
        assertEquals(List.of(0.0, 0.3, 0.5, 0.8, 1.0, 1.3, 1.8), rows.stream().map(r -> r[0]).toList(), "greedy (0), then the sweep");
        String reading = notebook.cell("String at(double[] v, double x)").text();
        String[] columns = {"distinct words", "repeated pairs", "verbatim", "mean length"};
        for (int c = 0; c < columns.length; c++) {
            int column = c + 1;
            double greedy = rows.get(0)[column];
            double low = rows.stream().mapToDouble(r -> r[column]).min().orElseThrow();
            double high = rows.stream().mapToDouble(r -> r[column]).max().orElseThrow();
            assertTrue(low == high ? reading.contains(String.format("%s: %.3f at every one", columns[c], greedy))
                    : reading.contains(String.format("%s: %.3f at greedy, lowest %.3f at ", columns[c], greedy, low))
                    && reading.contains(String.format(", highest %.3f at ", high)), columns[c] + " in " + reading);
            Matcher named = Pattern.compile(Pattern.quote(columns[c]) + ": .*lowest [\\d.]+ at (.+), highest [\\d.]+ at (.+)$",
                    Pattern.MULTILINE).matcher(reading);
            if (low != high) { // every position named shows that value in the table
                assertTrue(named.find(), columns[c] + " in " + reading);
                for (int end = 1; end <= 2; end++) {
                    double value = end == 1 ? low : high;
                    String[] positions = named.group(end).split(", ");
                    assertEquals(rows.stream().filter(r -> r[column] == value).count(), positions.length, "every one named: " + reading);
                    for (String at : positions) {
                        double t = at.equals("greedy") ? 0 : Double.parseDouble(at.substring("T = ".length()));
                        assertEquals(value, rows.stream().filter(r -> r[0] == t).findFirst().orElseThrow()[column], 0.0, at + ": " + reading);
                    }
                }
            }
        }
    }

    @Test
    void badInputIsRefusedWithReasons() {
        String refused = notebook.cell("List<Runnable> bad").text();
        assertEquals(7, refused.split("refused: ", -1).length - 1, refused);
        assertEquals(4, refused.split("use greedy\\(\\)", -1).length - 1, "0, -1, NaN and ∞ are refused as temperatures: " + refused);
        assertTrue(refused.contains("prompt is empty") && refused.contains("at least 1") && refused.contains("'☃'"), refused);
    }

    @Test
    void exerciseSolutionsAreRight() {
        assertTrue(notebook.text().contains("Exercise 1: top-1 equals greedy: true"));
        double[] p = generator.nextCharDistribution("President ");
        int likeliest = IntStream.range(0, p.length).boxed().max(Comparator.comparingDouble(i -> p[i])).orElseThrow();
        assertTrue(notebook.text().contains(String.format("Exercise 2: '%s' with %.3f at T = 1 and %.3f at T = 0.5",
                checkpoint.vocabulary().shown(likeliest), p[likeliest], generator.nextCharDistribution("President ", 0.5)[likeliest])),
                notebook.text());
        double[] sorted = Arrays.stream(generator.nextCharDistribution("Today ")).boxed().sorted(Comparator.reverseOrder())
                .mapToDouble(Double::doubleValue).toArray();
        int nucleus = 0;
        for (double mass = 0; mass < 0.9; mass += sorted[nucleus++]) {
            // count characters until 90% of the mass
        }
        assertTrue(notebook.text().contains("Exercise 3: " + nucleus + " characters make up 90%"));
        String exercise4 = notebook.cell("// Exercise 4").text();
        for (int seed = 1; seed <= 5; seed++) {
            String title = generator.sample("Stocks ", 0.8, 80, new java.util.Random(seed));
            assertTrue(exercise4.contains("Exercise 4: " + title + "   (the same on DL4J)"), title + " in " + exercise4);
        }
    }
}
