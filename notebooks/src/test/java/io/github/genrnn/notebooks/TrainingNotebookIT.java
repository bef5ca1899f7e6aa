package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.CharVocabulary;
import io.github.genrnn.Checkpoint;
import io.github.genrnn.NGramModel;
import io.github.genrnn.NewsArticle;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
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
        Checkpoint best = saved("best.zip");
        assertTrue(notebook.cell("Checkpoint.load(checkpoints.resolve(\"best.zip\"))").text()
                .contains("best.zip: epoch " + best.epoch() + ", step " + best.step()));
        Checkpoint last = saved("last.zip");
        long resumedSteps = last.step() + last.step() / last.epoch(); // one more epoch of the same batches
        assertTrue(notebook.cell("GeneratorTraining.resume").text().contains("epoch " + (last.epoch() + 1) + ", step " + resumedSteps),
                notebook.cell("GeneratorTraining.resume").text());
        var generator = new io.github.genrnn.TextGenerator(best.network(), best.vocabulary());
        for (String prompt : new String[] {"Stocks ", "Google ", "Iraq "}) {
            if (best.vocabulary().covers(prompt)) {
                assertTrue(notebook.cell("// Exercise 3").text().contains("Exercise 3: " + generator.greedy(prompt, 80)));
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

    @Test
    void countingIsBuiltByHandAndTheNetworkIsMeasuredAgainstIt() {
        boolean smoke = CourseRunner.SCALE.equals("smoke");
        List<String> titles = SharedTitles.titles().stream().limit(smoke ? 256 : 30_000).toList();
        CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);
        List<int[]> heldOut = SharedTitles.news().test().stream().map(NewsArticle::title).filter(vocabulary::covers)
                .limit(smoke ? 128 : 2_000).map(t -> withEos(vocabulary, t)).toList();
        int[] stream = titles.stream().flatMapToInt(t -> IntStream.of(withEos(vocabulary, t))).toArray();
        NGramModel counted = NGramModel.count(stream, vocabulary.size(), 8);
        double trigram = counted.withOrder(3).meanLoss(heldOut);
        assertTrue(notebook.cell("NGramModel counted").text().contains(String.format("by hand %.6f, NGramModel %.6f", trigram, trigram)),
                notebook.cell("NGramModel counted").text());
        double[] losses = IntStream.rangeClosed(1, 8).mapToDouble(n -> counted.withOrder(n).meanLoss(heldOut)).toArray();
        int bestN = 1 + IntStream.range(0, 8).boxed().min(Comparator.comparingDouble(i -> losses[i])).orElseThrow();
        double counting = losses[bestN - 1];
        assertTrue(notebook.cell("int bestN").text().contains(String.format("the %d-gram, %.3f nats = %.2f bits per character, "
                + "perplexity %.2f", bestN, counting, counting / Math.log(2), Math.exp(counting))), notebook.cell("int bestN").text());
        double network = saved("best.zip").history().bestValidation();
        String verdict = notebook.cell("double margin").text();
        assertTrue(verdict.contains(network < counting
                ? String.format("The network beats counting by %.3f nats per character.", counting - network)
                : String.format("Counting is still ahead, by %.3f nats per character.", network - counting)), verdict);
        if (!smoke) {
            assertTrue(counting - network >= 0.05, "at default scale the lesson's recipe beats counting by 0.05 nats: " + verdict);
        }
        String sizes = notebook.cell("int[] sizes").text();
        assertTrue(sizes.contains(String.format("%,7d titles: best n-gram %.3f, network %.3f nats per character", titles.size(),
                counting, network)), sizes);
        assertEquals(1, notebook.cell("Charts.lines(\"Held-out loss").images());
        assertEquals(1, notebook.cell("history.chart(").images());
    }

    private static int[] withEos(CharVocabulary vocabulary, String title) {
        return IntStream.concat(IntStream.of(vocabulary.encode(title)), IntStream.of(vocabulary.eos())).toArray();
    }

    /** A checkpoint lesson 4 saved at this scale. */
    private static Checkpoint saved(String file) {
        return Checkpoint.load(CourseRunner.ROOT.resolve("build/checkpoints/titles-" + CourseRunner.SCALE).resolve(file));
    }
}
