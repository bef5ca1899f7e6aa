package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class StreamTrainingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final Book ALICE = SharedData.book("alice-in-wonderland.txt");
    private static final CharVocabulary VOCABULARY = CharVocabulary.fromTexts(List.of(ALICE.text()));
    private static final int[] TRAINING = VOCABULARY.encode(ALICE.training().substring(0, 20_000));
    private static final int[] HELD_OUT = VOCABULARY.encode(ALICE.heldOut().substring(0, 3_000));
    @TempDir
    Path dir;

    @Test
    void aCarriedStateContinuesTheSequence() {
        for (GeneratorSpec spec : List.of(GeneratorSpec.lstm(VOCABULARY.size(), 12).withEmbedding(5).withLayers(2),
                GeneratorSpec.gru(VOCABULARY.size(), 12).withEmbedding(5).withLayers(2))) {
            assertCarriedStateContinues(spec);
        }
    }

    private static void assertCarriedStateContinues(GeneratorSpec spec) {
        MultiLayerNetwork network = spec.network();
        int[][] whole = {java.util.Arrays.copyOf(TRAINING, 30)};
        INDArray expected = network.rnnTimeStep(SequenceBatch.features(whole, VOCABULARY.size(), spec.input()))
                .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(18, 30));
        network.rnnClearPreviousState();
        for (int layer = 1; layer <= 2; layer++) {
            ((GatedLayer<?>) network.getLayer(layer)).carry(new HashMap<>());
        }
        network.output(SequenceBatch.features(new int[][] {java.util.Arrays.copyOf(TRAINING, 18)}, VOCABULARY.size(), spec.input()));
        INDArray carried = network.output(SequenceBatch.features(new int[][] {java.util.Arrays.copyOfRange(TRAINING, 18, 30)},
                VOCABULARY.size(), spec.input()));
        assertTrue(expected.equalsWithEps(carried, 1e-5), spec + "\n" + expected + "\n" + carried);
    }

    @Test
    void trainsForItsTimeAndEndsWithTheBestWeightsSaved() throws Exception {
        GeneratorSpec spec = GeneratorSpec.lstm(VOCABULARY.size(), 32).withEmbedding(8).withDropout(0.1);
        MultiLayerNetwork network = spec.network();
        Path best = dir.resolve("best.zip");
        StreamTraining training = StreamTraining.of(network, spec, TRAINING, HELD_OUT).batch(8).window(32)
                .timeLimit(Duration.ofSeconds(3)).validateEvery(Duration.ofSeconds(1)).learningRateDecay(0.9)
                .checkpoint(best).progressTo(QUIET);
        LossHistory history = training.run();
        assertTrue(training.seconds() >= 3 && history.validation().size() >= 3, history.validation().toString());
        assertEquals(Math.log(VOCABULARY.size()), history.validation().get(0).loss(), 0.2, "it starts near a uniform guess");
        assertTrue(history.bestValidation() < history.validation().get(0).loss() - 0.5, "it learns: " + history.validation());
        assertEquals(history.bestValidation(), TextLoss.mean(network, HELD_OUT), 1e-6, "the network holds its best state");
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(best.toFile());
        assertEquals(history.bestValidation(), TextLoss.mean(saved, HELD_OUT), 1e-6);
    }

    @Test
    void shuffledWindowsAndGruLayersTrainToo() {
        GeneratorSpec spec = GeneratorSpec.lstm(VOCABULARY.size(), 16);
        LossHistory history = StreamTraining.of(spec.network(), spec, TRAINING, HELD_OUT).shuffledWindows().batch(8).window(16)
                .timeLimit(Duration.ofSeconds(2)).validateEvery(Duration.ofSeconds(1)).progressTo(QUIET).run();
        assertTrue(history.bestValidation() < history.validation().get(0).loss());
        GeneratorSpec gru = GeneratorSpec.gru(VOCABULARY.size(), 16).withLayers(2);
        history = StreamTraining.of(gru.network(), gru, TRAINING, HELD_OUT).batch(8).window(16)
                .timeLimit(Duration.ofSeconds(3)).validateEvery(Duration.ofSeconds(1)).progressTo(QUIET).run();
        assertTrue(history.bestValidation() < history.validation().get(0).loss() - 0.5, "stateful: " + history.validation());
    }

    @Test
    void anInterruptStopsWithTheBestWeights() throws Exception {
        GeneratorSpec spec = GeneratorSpec.lstm(VOCABULARY.size(), 16);
        MultiLayerNetwork network = spec.network();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                StreamTraining.of(network, spec, TRAINING, HELD_OUT).batch(8).window(16).timeLimit(Duration.ofMinutes(5))
                        .validateEvery(Duration.ofMillis(500)).progressTo(QUIET).run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        thread.start();
        Thread.sleep(4_000);
        thread.interrupt();
        thread.join(30_000);
        String message = thrown.get().getMessage();
        assertTrue(thrown.get() instanceof TrainingInterruptedException && message.contains("now holds its best state"), message);
        double best = Double.parseDouble(message.replaceAll(".*held-out loss (\\d+\\.\\d+) nats.*", "$1"));
        assertEquals(best, TextLoss.mean(network, HELD_OUT), 0.0005);
    }

    @Test
    void refusesWhatItCannotTrain() {
        GeneratorSpec lstm = GeneratorSpec.lstm(VOCABULARY.size(), 8);
        String message = assertThrows(IllegalArgumentException.class, () -> StreamTraining.of(lstm.network(), lstm,
                java.util.Arrays.copyOf(TRAINING, 500), HELD_OUT).batch(8).window(64).progressTo(QUIET).run()).getMessage();
        assertTrue(message.contains("fewer than two windows of 64"), message);
    }

    @Test
    void theLossOnATextIsTheStepByStepLoss() {
        GeneratorSpec spec = GeneratorSpec.lstm(VOCABULARY.size(), 16).withEmbedding(4);
        MultiLayerNetwork network = spec.network();
        StreamTraining.of(network, spec, TRAINING, HELD_OUT).batch(8).window(16).timeLimit(Duration.ofSeconds(1))
                .progressTo(QUIET).run();
        int[] text = java.util.Arrays.copyOf(HELD_OUT, 700); // one stream
        double[] losses = TextLoss.perSymbol(network, text);
        SymbolModel.State state = new NetworkModel(network).start(text[0]);
        for (int i = 1; i < text.length; i++) {
            assertEquals(-Math.log(state.next()[text[i]]), losses[i - 1], 2e-4, "symbol " + i);
            state = state.after(text[i]);
        }
        double[] streams = TextLoss.perSymbol(network, HELD_OUT); // 3 streams, each after a warm-up
        assertEquals(HELD_OUT.length - 1, streams.length);
        assertEquals(TextLoss.mean(network, HELD_OUT), java.util.Arrays.stream(streams).average().orElseThrow(), 1e-12);
        assertEquals(losses[100], streams[100], 2e-4, "the first stream reads from the start");
        double[] inSmallCalls = TextLoss.perSymbol(network, HELD_OUT, 2_000); // a few steps per call
        for (int i = 0; i < streams.length; i++) {
            assertEquals(streams[i], inSmallCalls[i], 1e-6, "symbol " + i);
        }
    }
}
