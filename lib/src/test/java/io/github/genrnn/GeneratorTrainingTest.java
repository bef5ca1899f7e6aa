package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class GeneratorTrainingTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private GeneratorTraining training() {
        return GeneratorTraining.of(TinyModels.SPEC.network(), TinyModels.VOCABULARY, TinyModels.SPEC, TinyModels.batches())
                .validation(TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8))
                .progressTo(new PrintStream(progress, true));
    }

    @Test
    void aStepLimitEndsTrainingAndChecksComeEveryFewStepsOncePerStep() {
        LossHistory history = training().epochs(100).stepLimit(5).validateEverySteps(2).run();
        assertEquals(List.of(0L, 2L, 4L, 5L), history.validation().stream().map(LossHistory.Point::step).toList(),
                "2 minibatches per epoch: checks at steps 2 and 4 serve as their epochs' ends too; step 5 ends epoch 3");
        assertTrue(progress.toString().contains("Stopping: the step limit of 5 is reached."), progress.toString());
        assertThrows(IllegalArgumentException.class, () -> training().stepLimit(0));
        assertThrows(IllegalArgumentException.class, () -> training().validateEverySteps(0));
    }

    @Test
    void theTrainingBatchesCannotServeAsValidationToo() {
        var batches = TinyModels.batches();
        var refused = assertThrows(IllegalArgumentException.class, () -> GeneratorTraining.of(TinyModels.SPEC.network(),
                TinyModels.VOCABULARY, TinyModels.SPEC, batches).validation(batches));
        assertTrue(refused.getMessage().contains("are the training batches themselves"), refused.getMessage());
    }

    @Test
    void quietlyPrintsNothingYetTrains() {
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true));
        try {
            LossHistory history = GeneratorTraining.of(TinyModels.SPEC.network(), TinyModels.VOCABULARY, TinyModels.SPEC,
                    TinyModels.batches()).validation(TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8))
                    .epochs(3).patience(1).quietly().run();
            assertTrue(history.validation().size() >= 2, history.validation().toString());
        } finally {
            System.setOut(console);
        }
        assertEquals("", printed.toString());
    }

    @Test
    void lossFallsAndCallbacksSeeSamples() {
        List<TrainingEvent> epochEnds = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        LossHistory history = training().epochs(4)
                .every(2, e -> samples.add(e.generator().greedy("a", 10)))
                .onEpochEnd(epochEnds::add)
                .run();
        assertEquals(4, epochEnds.size());
        assertEquals(5, history.validation().size(), "before training, then after each epoch");
        assertEquals(new LossHistory.Point(0, 0, history.validation().get(0).loss(), 0), history.validation().get(0));
        assertEquals(Math.log(TinyModels.VOCABULARY.size()), history.validation().get(0).loss(), 0.2, "untrained: about ln V");
        assertTrue(history.validation().get(4).loss() < history.validation().get(1).loss() - 0.3, history.validation().toString());
        assertEquals(4, samples.size(), "2 batches per epoch, a report every 2 steps");
        assertTrue(samples.stream().allMatch(s -> s.startsWith("a")));
        assertTrue(epochEnds.get(3).toString().matches("epoch 4, step 8: training loss \\d\\.\\d{3} \\(\\d\\.\\d\\d bits\\), validation .*"),
                epochEnds.get(3).toString());
        assertTrue(progress.toString().contains("epoch 4/4 100% ["), progress.toString());
    }

    @Test
    void aTimeLimitEndsTrainingAfterTheMinibatchThatSpendsIt() {
        LossHistory history = training().epochs(50).timeLimit(Duration.ofNanos(1)).run();
        assertEquals(2, history.validation().size(), "before training, then where the time ran out");
        LossHistory.Point end = history.validation().get(1);
        assertEquals(1, end.epoch());
        assertEquals(1, end.step(), "one minibatch spends a nanosecond");
        assertTrue(end.seconds() > 0 && end.seconds() < 60, end.toString());
        assertTrue(progress.toString().contains("Stopping: the time limit of 0 s is spent"), progress.toString());
    }

    @Test
    void validationEveryIntervalAddsPointsInsideEpochsAndKeepsTheBest() {
        LossHistory history = training().epochs(2).validateEvery(Duration.ofNanos(1)).checkpoints(dir).run();
        List<Long> steps = history.validation().stream().map(LossHistory.Point::step).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), steps, "after every minibatch; the check after an epoch's last one is its end's too");
        double[] seconds = history.validation().stream().mapToDouble(LossHistory.Point::seconds).toArray();
        for (int i = 1; i < seconds.length; i++) {
            assertTrue(seconds[i] >= seconds[i - 1], java.util.Arrays.toString(seconds));
        }
        Checkpoint best = Checkpoint.load(dir.resolve("best.zip"));
        assertEquals(history.bestValidation(), best.history().bestValidation());
        var saved = best.history().validation();
        assertEquals(history.validation().subList(0, saved.size()), saved, "the history up to the best, seconds included");
    }

    @Test
    void resumingCarriesTheTrainingTimeOn() {
        LossHistory first = training().epochs(1).checkpoints(dir).run();
        double before = first.validation().get(1).seconds();
        LossHistory resumed = GeneratorTraining.resume(Checkpoint.load(dir.resolve("last.zip")), TinyModels.batches())
                .validation(TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8))
                .progressTo(new PrintStream(progress, true)).epochs(2).run();
        assertTrue(resumed.validation().get(2).seconds() > before, resumed.validation().toString());
    }

    @Test
    void timesThatAreNotPositiveAreRefused() {
        var limit = assertThrows(IllegalArgumentException.class, () -> training().timeLimit(Duration.ZERO));
        assertEquals("The time limit must be positive, not PT0S", limit.getMessage());
        var interval = assertThrows(IllegalArgumentException.class, () -> training().validateEvery(Duration.ofSeconds(-1)));
        assertEquals("The validation interval must be positive, not PT-1S", interval.getMessage());
    }

    @Test
    void keepsTheBestAndLastCheckpointsAndResumes() {
        LossHistory first = training().epochs(2).checkpoints(dir).run();
        Checkpoint best = Checkpoint.load(dir.resolve("best.zip"));
        Checkpoint last = Checkpoint.load(dir.resolve("last.zip"));
        assertEquals(2, last.epoch());
        assertEquals(first.bestValidation(), best.history().bestValidation());

        List<Integer> epochs = new ArrayList<>();
        LossHistory resumed = GeneratorTraining.resume(last, TinyModels.batches())
                .validation(TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8))
                .progressTo(new PrintStream(progress, true))
                .epochs(3).onEpochEnd(e -> epochs.add(e.epoch())).checkpoints(dir).run();
        assertEquals(List.of(3), epochs, "training goes on from the checkpoint's epoch");
        assertEquals(4, resumed.validation().size(), "the history carries on (step 0 and three epochs)");
        assertEquals(6, Checkpoint.load(dir.resolve("last.zip")).step());
    }

    @Test
    void resumingFromAnEarlierCheckpointIntoTheFolderKeepsItsLaterOneApart() throws Exception {
        training().epochs(1).checkpoints(dir).run();
        Path early = Files.copy(dir.resolve("last.zip"), dir.resolveSibling(dir.getFileName() + "-early.zip"));
        GeneratorTraining.resume(Checkpoint.load(dir.resolve("last.zip")), TinyModels.batches()).epochs(3).checkpoints(dir)
                .progressTo(new PrintStream(progress, true)).run();
        GeneratorTraining.resume(Checkpoint.load(early), TinyModels.batches()).epochs(2).checkpoints(dir)
                .progressTo(new PrintStream(progress, true)).run();
        assertEquals(2, Checkpoint.load(dir.resolve("last.zip")).epoch());
        try (var apart = Files.list(dir)) {
            Path earlier = apart.filter(p -> p.getFileName().toString().startsWith("earlier-run-")).findFirst().orElseThrow();
            assertEquals(3, Checkpoint.load(earlier.resolve("last.zip")).epoch(), "the later run's last.zip is kept, not replaced");
        }
        Files.delete(early);
    }

    @Test
    void aNanLossStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint() throws Exception {
        training().epochs(1).checkpoints(dir).run();
        byte[] good = Files.readAllBytes(dir.resolve("last.zip"));
        DataSet poisoned = TinyModels.batches().next();
        poisoned.getFeatures().putScalar(0, Double.NaN);
        var broken = GeneratorTraining.resume(Checkpoint.load(dir.resolve("last.zip")), new ListDataSetIterator<>(List.of(poisoned)))
                .epochs(2).checkpoints(dir).progressTo(new PrintStream(progress, true));
        var e = assertThrows(IllegalStateException.class, broken::run);
        assertTrue(e.getMessage().contains("became NaN at epoch 2, step 3") && e.getMessage().contains("epoch 1"), e.getMessage());
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(dir.resolve("last.zip"))));
        Checkpoint.load(dir.resolve("best.zip"));
    }

    @Test
    void weightsThatTurnNanInAnEpochsLastUpdateAreNeverSaved() throws Exception {
        for (boolean withValidation : new boolean[] {true, false}) {
            GeneratorTraining training = (withValidation ? training()
                    : GeneratorTraining.of(TinyModels.SPEC.network(), TinyModels.VOCABULARY, TinyModels.SPEC,
                            TinyModels.batches()).progressTo(new PrintStream(progress, true)))
                    .epochs(3).checkpoints(dir);
            training.every(1, e -> {
                if (e.step() == 4) { // the last minibatch of epoch 2, as if its update had diverged
                    training.network().params().assign(Double.NaN);
                }
            });
            var e = assertThrows(IllegalStateException.class, training::run);
            Path last = dir.resolve("last.zip").toAbsolutePath().normalize();
            assertEquals("The network's weights became NaN or infinite in the last update of epoch 2 (step 4): training "
                    + "diverged. " + last + " holds epoch 1, the last good state. Lower the learning rate (it is 0.05) "
                    + "and train again.", e.getMessage());
            assertEquals(1, Checkpoint.load(last).epoch());
            assertTrue(Double.isFinite(Checkpoint.load(last).network().params().sumNumber().doubleValue()));
        }
    }

    @Test
    void interruptedAndResumedTrainsLikeNeverStopping() throws Exception {
        List<Double> uninterrupted = new ArrayList<>();
        training().epochs(3).every(1, e -> uninterrupted.add(e.trainLoss())).run();
        interruptedAt(training(), 3); // in epoch 2, which last.zip (epoch 1) does not hold
        List<Double> resumed = new ArrayList<>();
        GeneratorTraining.resume(Checkpoint.load(dir.resolve("last.zip")), TinyModels.batches()) // a new iterator
                .validation(TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8))
                .progressTo(new PrintStream(progress, true))
                .epochs(3).every(1, e -> resumed.add(e.trainLoss())).run();
        assertEquals(uninterrupted.subList(2, 6), resumed, "epochs 2 and 3, loss for loss");
    }

    @Test
    void aNewRunKeepsAnEarlierRunsCheckpointsApart() throws Exception {
        training().epochs(2).checkpoints(dir).run();
        byte[] firstBest = Files.readAllBytes(dir.resolve("best.zip"));
        training().epochs(1).checkpoints(dir).run();
        List<Path> apart;
        try (var files = Files.list(dir)) {
            apart = files.filter(f -> f.getFileName().toString().startsWith("earlier-run-")).toList();
        }
        assertEquals(1, apart.size(), "one folder for the earlier run");
        assertTrue(java.util.Arrays.equals(firstBest, Files.readAllBytes(apart.get(0).resolve("best.zip"))));
        assertEquals(2, Checkpoint.load(apart.get(0).resolve("last.zip")).epoch());
        assertEquals(1, Checkpoint.load(dir.resolve("last.zip")).epoch(), "this run's own checkpoints");
        assertTrue(progress.toString().contains("The checkpoints of an earlier run in " + dir + " are now in " + apart.get(0)
                + ", so that this run does not replace them."), progress.toString());
    }

    @Test
    void aNanValidationLossIsRefused() {
        DataSet poisoned = TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8).next();
        poisoned.getFeatures().putScalar(0, Double.NaN);
        var e = assertThrows(IllegalArgumentException.class, () -> training()
                .validation(new ListDataSetIterator<>(List.of(poisoned))).epochs(2).checkpoints(dir).run());
        assertEquals("The validation batches give a loss of NaN before any training; check them for NaN or infinite "
                + "values.", e.getMessage());
        assertFalse(Files.exists(dir.resolve("last.zip")));

        DataSet later = TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8).next();
        var atEpochEnd = assertThrows(IllegalStateException.class, () -> training()
                .validation(new ListDataSetIterator<>(List.of(later))).epochs(2).checkpoints(dir)
                .every(1, ev -> later.getFeatures().putScalar(0, Double.NaN)).run());
        assertTrue(atEpochEnd.getMessage().startsWith("The validation loss became NaN at the end of epoch 1: training "
                + "diverged. This run saved no checkpoint."), atEpochEnd.getMessage());
        assertFalse(Files.exists(dir.resolve("best.zip")));
    }

    @Test
    void aLossFarAboveAUniformGuessStopsTraining() {
        var e = assertThrows(IllegalStateException.class, () -> GeneratorTraining.of(
                        TinyModels.SPEC.withLearningRate(1e6).network(), TinyModels.VOCABULARY,
                        TinyModels.SPEC.withLearningRate(1e6), TinyModels.batches())
                .progressTo(new PrintStream(progress, true)).epochs(100).run());
        assertTrue(e.getMessage().matches("The loss has been above 3\\.58 nats per character, twice that of a uniform guess, "
                + "for 20 minibatches in a row \\(now [\\d.]+, at epoch \\d+, step \\d+\\): training diverged\\. No checkpoint "
                + "was kept\\. Lower the learning rate \\(it is 1000000\\.0\\) and train again\\."), e.getMessage());
    }

    /** Training into dir that is interrupted (as ■ would) during the given step; returns the message. */
    private String interruptedAt(GeneratorTraining training, long step) {
        return interruptedAt(training, step, dir);
    }

    private String interruptedAt(GeneratorTraining training, long step, Path folder) {
        training.epochs(5).checkpoints(folder).progressTo(new PrintStream(progress, true))
                .every(1, e -> {
                    if (e.step() == step) {
                        Thread.currentThread().interrupt();
                    }
                });
        var e = assertThrows(TrainingInterruptedException.class, training::run);
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed, so the next cell runs normally");
        return e.getMessage();
    }

    @Test
    void anInterruptStopsAfterTheMinibatchSaysWhereAndKeepsTheLastCheckpoint() throws Exception {
        training().epochs(1).checkpoints(dir).run();
        byte[] epochOne = Files.readAllBytes(dir.resolve("last.zip"));
        String fresh = interruptedAt(training(), 1, dir.resolve("fresh"));
        assertEquals("Training was interrupted in epoch 1 after step 1, with 1 of its 2 minibatches done."
                + " No epoch was complete, so this run saved no checkpoint.", fresh, "the earlier run's last.zip is not this run's");
        String resumed = interruptedAt(GeneratorTraining.resume(Checkpoint.load(dir.resolve("last.zip")), TinyModels.batches()), 3);
        assertEquals("Training was interrupted in epoch 2 after step 3, with 1 of its 2 minibatches done."
                + " This run saved no checkpoint yet; the checkpoint it was resumed from holds epoch 1.", resumed);
        assertTrue(java.util.Arrays.equals(epochOne, Files.readAllBytes(dir.resolve("last.zip"))));
        String saved = interruptedAt(GeneratorTraining.resume(Checkpoint.load(dir.resolve("last.zip")), TinyModels.batches()), 5);
        assertEquals("Training was interrupted in epoch 3 after step 5, with 1 of its 2 minibatches done. "
                + dir.resolve("last.zip").toAbsolutePath().normalize() + " holds epoch 2;"
                + " GeneratorTraining.resume(Checkpoint.load(...), batches) goes on from there.", saved);
        assertEquals(2, Checkpoint.load(dir.resolve("last.zip")).epoch());
    }

    @Test
    void aMinibatchTooLargeForOneArraySaysWhatToDo() {
        // the gates of 64 × 12,000 rows × 4·512 units are 6.3 GB of floats: more than Java reads through a buffer
        List<String> titles = java.util.Collections.nCopies(64, "ab ".repeat(4_000));
        GeneratorSpec spec = GeneratorSpec.lstm(TinyModels.VOCABULARY.size(), 512);
        GeneratorTraining training = GeneratorTraining.of(spec.network(), TinyModels.VOCABULARY, spec,
                TitleBatches.of(titles, TinyModels.VOCABULARY, 64)).epochs(1).progressTo(new PrintStream(progress, true));
        var e = assertThrows(IllegalArgumentException.class, training::run);
        assertTrue(e.getMessage().startsWith("A minibatch of 64 sequences of 12,000 steps with 2,048 gate values per step "
                + "needs 6,000 MB in one array, more than Java can read through a buffer (2,048 MB). Use smaller minibatches "
                + "or shorter sequences"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; or fewer units."), e.getMessage());
    }

    @Test
    void aStepThatRunsOutOfMemorySaysWhatToDo() throws Exception {
        MultiLayerNetwork network = new MultiLayerNetwork(TinyModels.SPEC.network().getLayerWiseConfigurations()) {
            @Override
            public void fit(org.nd4j.linalg.dataset.api.DataSet batch) { // as ND4J's CPU backend fails to allocate
                throw new RuntimeException("Allocation failed: [[HOST] allocation failed; Error code: [0]]");
            }
        };
        network.init();
        GeneratorTraining training = GeneratorTraining.of(network, TinyModels.VOCABULARY, TinyModels.SPEC, TinyModels.batches())
                .checkpoints(dir).progressTo(new PrintStream(progress, true));
        var e = assertThrows(IllegalStateException.class, training::run);
        assertTrue(e.getMessage().startsWith("Step 1, a minibatch of 4 sequences of "), e.getMessage());
        assertTrue(e.getMessage().endsWith("did not fit in memory (Allocation failed: [[HOST] allocation failed; Error code: "
                + "[0]]). Cut long texts into windows "
                + "(WindowBatches.perText) or use smaller minibatches; the checkpoints are as they were."), e.getMessage());
        assertFalse(Files.exists(dir.resolve("last.zip")));
    }

    @Test
    void anInterruptWhileACallbackGeneratesStopsTrainingAndSaysWhere() {
        GeneratorTraining training = training().epochs(5).checkpoints(dir).onEpochEnd(e -> {
            if (e.epoch() == 2) {
                Thread.currentThread().interrupt(); // ■ as the epoch's sample is written
            }
            e.generator().greedy("a", 50);
        });
        var e = assertThrows(TrainingInterruptedException.class, training::run);
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals("Training was interrupted at the end of epoch 2, after step 4. "
                + dir.resolve("last.zip").toAbsolutePath().normalize() + " holds epoch 2;"
                + " GeneratorTraining.resume(Checkpoint.load(...), batches) goes on from there.", e.getMessage());
    }

    @Test
    void stopsEarlyWhenAskedOrWhenValidationStalls() {
        List<Integer> epochs = new ArrayList<>();
        training().epochs(5).onEpochEnd(e -> {
            epochs.add(e.epoch());
            e.stop();
        }).run();
        assertEquals(List.of(1), epochs);

        // steps of 1e-30 change no float32 loss, so the validation loss never improves after epoch 1
        var stalled = GeneratorTraining.of(TinyModels.SPEC.withLearningRate(1e-30).network(), TinyModels.VOCABULARY,
                        TinyModels.SPEC, TinyModels.batches())
                .validation(TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8))
                .progressTo(new PrintStream(progress, true)).epochs(10).patience(2);
        assertEquals(4, stalled.run().validation().size(), "step 0, the best epoch, then two without improvement");
        assertTrue(progress.toString().contains("has not improved for 2 epochs"), progress.toString());
    }

    @Test
    void aCheckpointFolderThatCannotBeWrittenIsReportedBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        List<Integer> epochs = new ArrayList<>();
        var e = assertThrows(java.io.UncheckedIOException.class, () -> training().epochs(1)
                .checkpoints(file.resolve("checkpoints")).onEpochEnd(ev -> epochs.add(ev.epoch())).run());
        assertTrue(e.getMessage().startsWith("Cannot write checkpoints into " + file.resolve("checkpoints").toAbsolutePath())
                && e.getMessage().contains("Exception: ") && e.getMessage().endsWith("choose a checkpoint folder you can write to."),
                e.getMessage());
        assertEquals(List.of(), epochs, "no epoch was trained");
    }

    @Test
    void noBatchesIsAnErrorNotANanEpoch() {
        var e = assertThrows(IllegalArgumentException.class, () -> GeneratorTraining.of(TinyModels.SPEC.network(),
                TinyModels.VOCABULARY, TinyModels.SPEC, new ListDataSetIterator<>(List.<DataSet>of()))
                .checkpoints(dir).progressTo(new PrintStream(progress, true)).run());
        assertTrue(e.getMessage().startsWith("The training batches are empty"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("last.zip")), "no step-0 checkpoint");
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> training().epochs(0));
        assertThrows(IllegalArgumentException.class, () -> training().every(0, e -> { }));
        assertThrows(IllegalArgumentException.class, () -> GeneratorTraining.of(TinyModels.SPEC.network(),
                CharVocabulary.fromTexts(List.of("xyz")), TinyModels.SPEC, TinyModels.batches()));
    }
}
