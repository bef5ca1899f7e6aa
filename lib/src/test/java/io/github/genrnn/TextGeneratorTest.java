package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TextGeneratorTest {
    private static MultiLayerNetwork net;
    private static TextGenerator generator;
    private static final CharVocabulary V = TinyModels.VOCABULARY;

    @BeforeAll
    static void train() {
        net = TinyModels.trainedOnAb(40).network();
        generator = new TextGenerator(net, V);
    }

    @Test
    void greedyStopsAtEos() {
        assertEquals("ab", generator.greedy("a", 50), "after 'a' comes 'b', then <eos>");
        assertEquals("a", generator.greedy("a", 0 + 1).substring(0, 1));
    }

    @Test
    void anInterruptEndsGenerationWithAMessageAndClearsTheFlag() {
        Thread.currentThread().interrupt(); // as ■ would, while a long generation runs
        var stopped = assertThrows(IllegalStateException.class, () -> generator.greedy("a", Integer.MAX_VALUE));
        assertTrue(stopped.getMessage().startsWith("Generation was interrupted after 0 symbols"), stopped.getMessage());
        assertEquals("ab", generator.greedy("a", 50), "the next call runs as usual");
    }

    @Test
    void greedyStopsAtTheMaximumLength() {
        MultiLayerNetwork untrained = TinyModels.SPEC.network();
        String text = new TextGenerator(untrained, V).greedy("c", 5);
        assertTrue(text.length() <= 6 && text.startsWith("c"), text);
    }

    @Test
    void samplingNeverYieldsPaddingEvenWhenTheNetworkFavoursIt() {
        MultiLayerNetwork biased = TinyModels.SPEC.network();
        biased.getOutputLayer().getParam("b").putScalar(CharVocabulary.PAD, 20.0); // padding gets almost all mass
        for (TextGenerator.Engine engine : TextGenerator.Engine.values()) {
            TextGenerator g = new TextGenerator(biased, V, engine);
            assertTrue(g.nextCharDistribution("a")[CharVocabulary.PAD] == 0);
            Random random = new Random(1);
            for (int i = 0; i < 200; i++) {
                String text = g.sample("a", 1.5, 20, random);
                assertTrue(V.covers(text), engine + ": " + text);
            }
            assertTrue(V.covers(g.greedy("a", 20)));
        }
    }

    @Test
    void bothEnginesWriteTheSameTextWithTheSameSeed() {
        MultiLayerNetwork random = TinyModels.SPEC.withLayers(2).network();
        random.setParams(random.params().mul(4)); // far from uniform, so that a wrong step would show
        for (MultiLayerNetwork network : List.of(net, random)) {
            TextGenerator java = new TextGenerator(network, V);
            TextGenerator dl4j = new TextGenerator(network, V, TextGenerator.Engine.DL4J);
            assertEquals(dl4j.greedy("ca", 30), java.greedy("ca", 30));
            for (double temperature : new double[] {0.3, 1.0, 1.8}) {
                for (int seed = 0; seed < 20; seed++) {
                    assertEquals(dl4j.sample("b", temperature, 30, new Random(seed)),
                            java.sample("b", temperature, 30, new Random(seed)), "T = " + temperature + ", seed " + seed);
                }
            }
        }
    }

    @Test
    void aGeneratorWritesWithTheNetworksCurrentWeights() {
        MultiLayerNetwork network = TinyModels.SPEC.network();
        TextGenerator g = new TextGenerator(network, V);
        double before = g.nextCharDistribution("a")[V.eos()];
        network.getOutputLayer().getParam("b").putScalar(V.eos(), 10.0); // as training would change it
        assertTrue(g.nextCharDistribution("a")[V.eos()] > before + 0.5);
    }

    @Test
    void aVocabularyOfAnotherSizeIsRefused() {
        CharVocabulary other = CharVocabulary.fromTexts(List.of("abcdxyz"));
        var e = assertThrows(IllegalArgumentException.class, () -> new TextGenerator(net, other));
        assertTrue(e.getMessage().contains("writes " + V.size() + " symbols but the vocabulary has " + other.size()),
                e.getMessage());
    }

    @Test
    void drawsFromADistributionNeverPickZeroMass() {
        double[] p = {0, 0.5, 0, 0.5};
        Random random = new Random(3);
        int[] seen = new int[4];
        for (int i = 0; i < 10_000; i++) {
            seen[TextGenerator.draw(p, random)]++;
        }
        assertEquals(0, seen[0] + seen[2]);
        assertEquals(5000, seen[1], 300);
    }

    @Test
    void sampleIsReproducibleWithASeed() {
        MultiLayerNetwork untrained = TinyModels.SPEC.network();
        TextGenerator g = new TextGenerator(untrained, V);
        String a = g.sample("ab", 1.0, 40, new Random(42));
        assertEquals(a, g.sample("ab", 1.0, 40, new Random(42)));
        assertNotEquals(a, g.sample("ab", 1.0, 40, new Random(43)));
    }

    @Test
    void temperatureReshapesTheDistribution() {
        double[] p = {0, 0.1, 0.2, 0.7};
        assertArrayEquals(p, TextGenerator.withTemperature(p, 1.0), 1e-12);
        assertEquals(1.0, TextGenerator.withTemperature(p, 0.01)[3], 1e-9);
        double[] flat = TextGenerator.withTemperature(p, 100);
        assertEquals(1 / 3.0, flat[1], 0.01);
        assertEquals(0.0, flat[0], "what had no mass gets none");
    }

    @Test
    void theSmallestTemperatureIsGreedyNotNaN() {
        double[] p = {0, 0.1, 0.2, 0.7};
        assertArrayEquals(new double[] {0, 0, 0, 1}, TextGenerator.withTemperature(p, Double.MIN_VALUE));
        assertEquals(generator.greedy("a", 10), generator.sample("a", Double.MIN_VALUE, 10, new Random(1)));
    }

    @Test
    void badTemperaturesPromptsAndLengthsAreRejected() {
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> generator.sample("a", t, 5, new Random()));
            assertTrue(e.getMessage().contains("greedy()"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> generator.greedy("", 5)).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> generator.greedy("aZ!", 5)).getMessage().contains("'Z'"));
        assertThrows(IllegalArgumentException.class, () -> generator.greedy("a", 0));
    }

    @Test
    void steppingGivesTheSameProbabilitiesAsTheWholeSequence() {
        String text = "abcab";
        int[] indices = V.encode(text);
        INDArray whole = net.output(SequenceBatch.features(new int[][] {indices}, V.size(), SequenceInput.ONE_HOT));
        net.rnnClearPreviousState();
        for (int t = 0; t < indices.length; t++) {
            INDArray step = net.rnnTimeStep(SequenceBatch.features(new int[][] {{indices[t]}}, V.size(), SequenceInput.ONE_HOT));
            assertArrayEquals(whole.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t)).toDoubleVector(),
                    step.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(0)).toDoubleVector(), 1e-5);
        }
        net.rnnClearPreviousState();
        double[] last = whole.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(indices.length - 1)).toDoubleVector();
        last[CharVocabulary.PAD] = 0;
        double sum = java.util.Arrays.stream(last).sum();
        double[] expected = java.util.Arrays.stream(last).map(x -> x / sum).toArray();
        assertArrayEquals(expected, generator.nextCharDistribution(text), 1e-5);
    }

    @Test
    void embeddedInputGeneratesToo() {
        GeneratorSpec spec = TinyModels.SPEC.withEmbedding(4);
        String text = new TextGenerator(spec.network(), V).greedy("ab", 5);
        assertTrue(text.startsWith("ab"));
    }
}
