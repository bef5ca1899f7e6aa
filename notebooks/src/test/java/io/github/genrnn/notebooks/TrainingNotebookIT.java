package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.Checkpoint;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrainingNotebookIT {
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("04-training-with-sampling");

    @Test
    void trainsWithTheSamplingCallbackAndLossFalls() {
        String run = notebook.cell("training.run()").text();
        Matcher losses = Pattern.compile("epoch (\\d+), step \\d+: training loss [\\d.]+ \\([\\d.]+ bits\\), validation ([\\d.]+)").matcher(run);
        double first = Double.NaN, last = Double.NaN;
        int epochs = 0;
        while (losses.find()) {
            double loss = Double.parseDouble(losses.group(2));
            first = epochs++ == 0 ? loss : first;
            last = loss;
        }
        Checkpoint lastSaved = saved("last.zip");
        assertEquals(lastSaved.epoch(), epochs, run);
        assertTrue(last < first && first < Math.log(lastSaved.vocabulary().size()), "validation loss falls below a uniform guess: " + run);
        assertTrue(run.contains("    Today ") && run.contains("    Oil ") && run.contains("    US "), "samples are printed: " + run);
        assertTrue(run.contains("best validation loss"), run);
    }

    @Test
    void drawsLossCurvesAndKeepsALoadableBestCheckpoint() {
        assertEquals(1, notebook.cell("history.chart(").images());
        Checkpoint best = saved("best.zip");
        assertTrue(notebook.cell("Checkpoint.load(checkpoints.resolve(\"best.zip\"))").text()
                .contains("best.zip: epoch " + best.epoch() + ", step " + best.step()));
        Checkpoint last = saved("last.zip");
        long resumedSteps = last.step() + last.step() / last.epoch(); // one more epoch of the same batches
        assertTrue(notebook.cell("GeneratorTraining.resume").text().contains("epoch " + (last.epoch() + 1) + ", step " + resumedSteps),
                notebook.cell("GeneratorTraining.resume").text());
        assertTrue(notebook.text().contains("Exercise 1: " + resumedSteps + " steps"));
        var generator = new io.github.genrnn.TextGenerator(best.network(), best.vocabulary());
        for (String prompt : new String[] {"Stocks ", "Google ", "Iraq "}) {
            if (best.vocabulary().covers(prompt)) {
                assertTrue(notebook.cell("// Exercise 4").text().contains("Exercise 4: " + generator.greedy(prompt, 80)));
            }
        }
    }

    @Test
    void dl4jsOwnLoopWritesSamplesThroughItsListener() {
        String loop = notebook.cell("withDl4jLoop.fit").text();
        assertTrue(loop.matches("(?s)epoch 1: score\\(\\) \\d+\\.\\d\\n    Today .*\\n    Oil .*\\n    US .*"), loop);
        Matcher loss = Pattern.compile("validation loss after DL4J's loop: (\\d\\.\\d{3}) nats per character").matcher(loop);
        Checkpoint best = saved("best.zip");
        assertTrue(loss.find() && Double.parseDouble(loss.group(1)) < Math.log(best.vocabulary().size()), loop);
    }

    @Test
    void theChartStartsAtStepZeroNearLnV() {
        Checkpoint best = saved("best.zip");
        var start = best.history().validation().get(0);
        assertEquals(0, start.step());
        assertEquals(Math.log(best.vocabulary().size()), start.loss(), 0.1, "an untrained network scores about ln V");
    }

    @Test
    void theWindowVariantPrintsLossAndSamples() {
        String windows = notebook.cell("WindowBatches.perText").text();
        assertTrue(windows.matches("(?s).*step \\d+: loss \\d\\.\\d{3}\\n    The .*"), windows);
    }

    /** A checkpoint lesson 4 saved at this scale. */
    private static Checkpoint saved(String file) {
        return Checkpoint.load(CourseRunner.ROOT.resolve("build/checkpoints/titles-" + CourseRunner.SCALE).resolve(file));
    }
}
