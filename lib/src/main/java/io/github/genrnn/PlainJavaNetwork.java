package io.github.genrnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * A trained generator run in plain Java: its weights copied out of DL4J into float arrays, then
 * stepped one symbol at a time. A step of the lesson's LSTM(128) is about 76,000 multiply-adds,
 * less work than DL4J spends preparing its native calls, so this engine generates several times
 * faster (bench/RESULTS.md). It copies the networks {@link GeneratorSpec} builds: an optional
 * {@code EmbeddingSequenceLayer}, LSTM layers ({@link LstmCell}) or GRU layers ({@link GruCell}), and an {@code RnnOutputLayer}
 * with softmax; any other network gets an error naming what it cannot copy.
 *
 * <p>The copy is a snapshot: training the DL4J network afterwards does not change it.
 */
public final class PlainJavaNetwork implements SymbolStepper {
    private final float[][] embedding;
    private final List<RecurrentCell> layers;
    private final float[][] outputWeights;
    private final float[] outputBias;
    private final float[] oneHot;
    private final float[] logits;

    private PlainJavaNetwork(float[][] embedding, List<RecurrentCell> layers, float[][] outputWeights, float[] outputBias) {
        this.embedding = embedding;
        this.layers = layers;
        this.outputWeights = outputWeights;
        this.outputBias = outputBias;
        this.oneHot = new float[outputBias.length];
        this.logits = new float[outputBias.length];
    }

    /** A copy of a DL4J generator's weights, with a zero state. */
    public static PlainJavaNetwork copyOf(MultiLayerNetwork network) {
        Layer[] all = network.getLayers();
        int first = all[0].conf().getLayer() instanceof EmbeddingSequenceLayer ? 1 : 0;
        float[][] embedding = first == 1 ? embeddingRows(all[0]) : null;
        List<RecurrentCell> layers = new ArrayList<>();
        for (int k = first; k < all.length - 1; k++) {
            var conf = all[k].conf().getLayer();
            if (!(conf instanceof LSTM || conf instanceof FusedLSTM || conf instanceof GRU)) {
                throw unsupported("layer " + k + " is a " + conf.getClass().getSimpleName());
            }
            try {
                layers.add(conf instanceof GRU ? GruCell.copyOf(all[k]) : LstmCell.copyOf(all[k]));
            } catch (IllegalArgumentException e) {
                throw unsupported("layer " + k + ": " + e.getMessage());
            }
        }
        Layer output = all[all.length - 1];
        if (layers.isEmpty() || !(output.conf().getLayer() instanceof RnnOutputLayer conf)
                || !(conf.getActivationFn() instanceof ActivationSoftmax)) {
            throw unsupported("it does not end in recurrent layers and an RnnOutputLayer with softmax");
        }
        if (!network.getLayerWiseConfigurations().getInputPreProcessors().isEmpty()) {
            throw unsupported("it has input preprocessors");
        }
        float[] bias = output.paramTable().containsKey("b") ? Dense.vector(output.getParam("b")) : new float[(int) conf.getNOut()];
        int symbolsIn = embedding != null ? embedding.length : (int) all[first].getParam("W").size(0);
        if (symbolsIn != bias.length) {
            throw unsupported("it reads " + symbolsIn + " symbols but writes " + bias.length);
        }
        return new PlainJavaNetwork(embedding, layers, Dense.rows(output.getParam("W")), bias);
    }

    @Override
    public double[] feed(int... symbols) {
        if (symbols.length == 0) {
            throw new IllegalArgumentException("Feed at least one symbol.");
        }
        float[] h = null;
        for (int symbol : symbols) {
            if (symbol < 0 || symbol >= outputBias.length) {
                throw new IllegalArgumentException("Symbol " + symbol + " is outside this network's vocabulary of "
                        + outputBias.length);
            }
            h = input(symbol);
            for (RecurrentCell layer : layers) {
                h = layer.step(h);
            }
        }
        return softmax(h);
    }

    @Override
    public void reset() {
        layers.forEach(RecurrentCell::reset);
    }

    /** A copy of every layer's state, to {@link #restore} later. */
    float[][] saveState() {
        return layers.stream().flatMap(layer -> java.util.Arrays.stream(layer.state())).map(float[]::clone).toArray(float[][]::new);
    }

    /** Back to a state {@link #saveState} copied. */
    void restore(float[][] saved) {
        int i = 0;
        for (RecurrentCell layer : layers) {
            for (float[] part : layer.state()) {
                System.arraycopy(saved[i++], 0, part, 0, part.length);
            }
        }
    }

    /** The first layer's input: the symbol's embedding, or its one-hot vector. */
    private float[] input(int symbol) {
        if (embedding != null) {
            return embedding[symbol];
        }
        Arrays.fill(oneHot, 0);
        oneHot[symbol] = 1;
        return oneHot;
    }

    /** The output layer: softmax(h·W + b), summed in double so that the probabilities add up to 1. */
    private double[] softmax(float[] h) {
        System.arraycopy(outputBias, 0, logits, 0, logits.length);
        Dense.addProduct(h, outputWeights, logits);
        double[] scores = new double[logits.length];
        for (int k = 0; k < scores.length; k++) {
            scores[k] = logits[k];
        }
        return Dense.softmax(scores);
    }

    /** The embedding's rows, its bias (if it has one) already added; its activation must be the identity. */
    private static float[][] embeddingRows(Layer layer) {
        var conf = (EmbeddingSequenceLayer) layer.conf().getLayer();
        if (!(conf.getActivationFn() instanceof ActivationIdentity)) {
            throw unsupported("its embedding has the activation " + conf.getActivationFn() + " (only identity is supported)");
        }
        float[][] rows = Dense.rows(layer.getParam("W"));
        if (layer.paramTable().containsKey("b")) {
            float[] bias = Dense.vector(layer.getParam("b"));
            for (float[] row : rows) {
                for (int k = 0; k < row.length; k++) {
                    row[k] += bias[k];
                }
            }
        }
        return rows;
    }

    private static IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("The plain-Java engine cannot copy this network: " + what + ". It copies "
                + "an optional EmbeddingSequenceLayer, LSTM layers (tanh, sigmoid gates) or GRU layers and an RnnOutputLayer with "
                + "softmax, as GeneratorSpec builds them; for other networks use TextGenerator.Engine.DL4J.");
    }
}
