package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class PlainJavaNetworkTest {
    private static final int V = 12;
    private static final GeneratorSpec ONE_LAYER = GeneratorSpec.lstm(V, 16);

    /** Every shape GeneratorSpec builds, with weights drawn from N(0, 1) so that every gate is far from its middle. */
    @Test
    void distributionsEqualDl4jsAtEveryStepForRandomNetworksOfEveryShape() {
        List<GeneratorSpec> shapes = List.of(ONE_LAYER, ONE_LAYER.withLayers(2), ONE_LAYER.withLayers(3).withDropout(0.2),
                GeneratorSpec.lstm(V, 24).withEmbedding(5), GeneratorSpec.lstm(V, 8).withEmbedding(3).withLayers(3));
        for (GeneratorSpec spec : shapes) {
            MultiLayerNetwork net = spec.network();
            Nd4j.getRandom().setSeed(spec.layers() * 100L + spec.embeddingSize());
            net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()));
            assertSameAsDl4j(net, V, spec.toString(), 1e-5);
        }
    }

    @Test
    void distributionsEqualDl4jsForRandomGruNetworks() {
        List<GeneratorSpec> shapes = List.of(GeneratorSpec.gru(V, 16), GeneratorSpec.gru(V, 16).withLayers(3).withDropout(0.2),
                GeneratorSpec.gru(V, 8).withEmbedding(5).withLayers(2));
        for (GeneratorSpec spec : shapes) {
            MultiLayerNetwork net = spec.network();
            Nd4j.getRandom().setSeed(spec.layers());
            net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()));
            // float σ and tanh within 3e-7 of exact (Gates), compounded through three layers of N(0, 1) weights
            assertSameAsDl4j(net, V, spec.toString(), 2e-5);
        }
    }

    @Test
    void distributionsEqualDl4jsForATrainedGru() {
        assertSameAsDl4j(TinyModels.trainedOnAb(TinyModels.GRU_SPEC, 40).network(), TinyModels.VOCABULARY.size(), "GRU", 1e-5);
    }

    @Test
    void distributionsEqualDl4jsForATrainedNetwork() {
        assertSameAsDl4j(TinyModels.trainedOnAb(40).network(), TinyModels.VOCABULARY.size(), "trained on 'ab'", 1e-5);
    }

    /** Random symbols fed one at a time, then a prompt of several at once, then a reset and the same again. */
    private static void assertSameAsDl4j(MultiLayerNetwork net, int symbols, String shape, double tolerance) {
        PlainJavaNetwork java = PlainJavaNetwork.copyOf(net);
        Dl4jStepper dl4j = new Dl4jStepper(net, symbols);
        Random random = new Random(7);
        for (int pass = 0; pass < 2; pass++) {
            for (int t = 0; t < 30; t++) {
                int symbol = random.nextInt(symbols);
                assertArrayEquals(dl4j.feed(symbol), java.feed(symbol), tolerance, shape + ", step " + t);
            }
            int[] prompt = random.ints(6, 0, symbols).toArray();
            assertArrayEquals(dl4j.feed(prompt), java.feed(prompt), tolerance, shape + ", prompt");
            dl4j.reset();
            java.reset();
        }
    }

    @Test
    void networksItCannotCopyAreRefusedByName() {
        assertRefused(withLayers(new GravesLSTM.Builder().nIn(V).nOut(8).build(), output(8, V)), "GravesLSTM");
        assertRefused(withLayers(new SimpleRnn.Builder().nIn(V).nOut(8).build(), output(8, V)), "SimpleRnn");
        assertRefused(withLayers(new LSTM.Builder().nIn(V).nOut(8).activation(Activation.TANH).build(),
                new DenseLayer.Builder().nIn(8).nOut(8).build(), output(8, V)), "DenseLayer");
        assertRefused(withLayers(new LSTM.Builder().nIn(V).nOut(8).activation(Activation.RELU).build(), output(8, V)), "relu");
        assertRefused(withLayers(new LSTM.Builder().nIn(V).nOut(8).activation(Activation.TANH).build(),
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nIn(8).nOut(V).build()),
                "softmax");
        assertRefused(withLayers(new LSTM.Builder().nIn(V + 1).nOut(8).activation(Activation.TANH).build(), output(8, V)),
                "reads " + (V + 1) + " symbols but writes " + V);
    }

    @Test
    void symbolsOutsideTheVocabularyAreRefused() {
        PlainJavaNetwork java = PlainJavaNetwork.copyOf(ONE_LAYER.network());
        var e = assertThrows(IllegalArgumentException.class, () -> java.feed(V));
        assertTrue(e.getMessage().contains("outside this network's vocabulary of " + V), e.getMessage());
    }

    private static void assertRefused(MultiLayerNetwork net, String named) {
        var e = assertThrows(IllegalArgumentException.class, () -> PlainJavaNetwork.copyOf(net));
        assertTrue(e.getMessage().contains(named) && e.getMessage().contains("Engine.DL4J"), e.getMessage());
    }

    private static Layer output(int in, int out) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(in).nOut(out).build();
    }

    private static MultiLayerNetwork withLayers(Layer... layers) {
        var builder = new NeuralNetConfiguration.Builder().seed(1).list();
        for (Layer layer : layers) {
            builder.layer(layer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        return net;
    }
}
