package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.Checkpoint;
import io.github.genrnn.TextGenerator;
import java.util.Arrays;
import java.util.Comparator;
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
        int h = checkpoint.spec().hiddenSize();
        assertTrue(notebook.cell("long perStep").text().contains(String.format("one step of 1 × LSTM(%d): %,d multiply-adds",
                h, 4L * h * h + (long) h * checkpoint.vocabulary().size())), notebook.cell("long perStep").text());
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
