package io.github.genrnn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The shape of a news classifier, as the RNN lesson builds them: an embedding of the words, a
 * recurrent part read up to each text's last word ({@link LastTimeStep}, which finds it through the
 * mask), and a softmax over the four classes. Adam at the lesson's rate, 0.001.
 *
 * @param kind          the recurrent part
 * @param vocabularySize words in the {@link WordVocabulary}, padding and unknown included
 * @param embeddingSize numbers per word
 * @param hiddenSize    units per recurrent layer (per direction when bidirectional)
 * @param seed          seed of the initial weights
 */
public record ClassifierSpec(Kind kind, int vocabularySize, int embeddingSize, int hiddenSize, long seed) {
    /** What reads the words. */
    public enum Kind {
        /** One plain recurrent layer: h′ = tanh(x·W + h·RW + b). */
        SIMPLE_RNN,
        /** One LSTM layer. */
        LSTM,
        /** Two bidirectional LSTM layers, the second reading the first's outputs. */
        BIDIRECTIONAL_LSTM
    }

    public ClassifierSpec {
        PlannedBatches.requirePositive(vocabularySize, "The vocabulary size");
        PlannedBatches.requirePositive(embeddingSize, "The embedding size");
        PlannedBatches.requirePositive(hiddenSize, "The hidden size");
    }

    /** The lesson's first model: embedding 64, SimpleRNN(16). */
    public static ClassifierSpec simpleRnn(int vocabularySize) {
        return new ClassifierSpec(Kind.SIMPLE_RNN, vocabularySize, 64, 16, 42);
    }

    /** The lesson's LSTM: embedding 64, LSTM(8). */
    public static ClassifierSpec lstm(int vocabularySize) {
        return new ClassifierSpec(Kind.LSTM, vocabularySize, 64, 8, 42);
    }

    /** The lesson's most accurate model: embedding 128, two bidirectional LSTM(64) layers. */
    public static ClassifierSpec bidirectionalLstm(int vocabularySize) {
        return new ClassifierSpec(Kind.BIDIRECTIONAL_LSTM, vocabularySize, 128, 64, 42);
    }

    /** A short name: "SimpleRNN(16)", "LSTM(8)", "2×bidirectional LSTM(64)". */
    public String name() {
        return switch (kind) {
            case SIMPLE_RNN -> "SimpleRNN(" + hiddenSize + ")";
            case LSTM -> "LSTM(" + hiddenSize + ")";
            case BIDIRECTIONAL_LSTM -> "2×bidirectional LSTM(" + hiddenSize + ")";
        };
    }

    /** A new, initialised network of this shape. */
    public MultiLayerNetwork network() {
        var list = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(0.001)).weightInit(WeightInit.XAVIER).list();
        list.layer(new EmbeddingSequenceLayer.Builder().nIn(vocabularySize).nOut(embeddingSize).build());
        int h = hiddenSize, out = h;
        switch (kind) {
            case SIMPLE_RNN -> list.layer(new LastTimeStep(new SimpleRnn.Builder().nIn(embeddingSize).nOut(h)
                    .activation(Activation.TANH).build()));
            case LSTM -> list.layer(new LastTimeStep(lstm(embeddingSize, h)));
            case BIDIRECTIONAL_LSTM -> {
                list.layer(new Bidirectional(Bidirectional.Mode.CONCAT, lstm(embeddingSize, h)));
                list.layer(new LastTimeStep(new Bidirectional(Bidirectional.Mode.CONCAT, lstm(2 * h, h))));
                out = 2 * h;
            }
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(out).nOut(NewsArticle.CLASSES.length).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static Layer lstm(int in, int units) {
        return new LSTM.Builder().nIn(in).nOut(units).activation(Activation.TANH).build();
    }
}
