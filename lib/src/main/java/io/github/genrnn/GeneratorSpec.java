package io.github.genrnn;

import java.util.Properties;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The shape and training settings of a character-level generator: one-hot or embedded input,
 * one to three LSTM or GRU layers, and a softmax over the vocabulary at every time step.
 *
 * <pre>{@code
 * GeneratorSpec spec = GeneratorSpec.lstm(vocabulary.size(), 128);     // the lesson's model
 * MultiLayerNetwork net = spec.withLayers(2).withDropout(0.2).network();
 * MultiLayerNetwork gru = GeneratorSpec.gru(vocabulary.size(), 128).network();
 * }</pre>
 *
 * @param cell           the recurrent layers' kind, LSTM or GRU
 * @param vocabularySize symbols in and out
 * @param hiddenSize     units of each recurrent layer
 * @param layers         stacked recurrent layers, 1 to 3
 * @param dropout        probability of dropping a recurrent layer's input during training, 0 for none
 * @param embeddingSize  size of a learned embedding of the input, or 0 for one-hot input
 * @param learningRate   Adam's step size
 * @param seed           seed of the initial weights
 */
public record GeneratorSpec(Cell cell, int vocabularySize, int hiddenSize, int layers, double dropout,
                            int embeddingSize, double learningRate, long seed) {

    /**
     * The recurrent layer: an LSTM (four gate blocks; the course's {@link FusedLSTM}, DL4J's LSTM
     * computed faster) or the course's {@link GRU} (three).
     */
    public enum Cell {
        LSTM(4), GRU(3);

        private final int blocks;

        Cell(int blocks) {
            this.blocks = blocks;
        }

        /** Weight blocks per layer: each is in·h + h·h + h parameters. */
        public int blocks() {
            return blocks;
        }
    }

    public GeneratorSpec {
        if (cell == null) {
            throw new IllegalArgumentException("Choose the cell: GeneratorSpec.Cell.LSTM or GeneratorSpec.Cell.GRU");
        }
        if (vocabularySize < 3) {
            throw new IllegalArgumentException("A vocabulary needs padding, <eos> and a character: size " + vocabularySize);
        }
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException("The hidden size must be at least 1, not " + hiddenSize + ".");
        }
        if (layers < 1 || layers > 3) {
            throw new IllegalArgumentException("Use 1 to 3 recurrent layers, not " + layers + ".");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("The dropout probability must be in [0, 1), not " + dropout + ".");
        }
        if (embeddingSize < 0) {
            throw new IllegalArgumentException("The embedding size must be 0 (one-hot input) or more, not " + embeddingSize);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("The learning rate must be a positive number, not " + learningRate);
        }
    }

    /** One LSTM layer of {@code hiddenSize} units on one-hot input, learning rate 0.01, seed 42. */
    public static GeneratorSpec lstm(int vocabularySize, int hiddenSize) {
        return new GeneratorSpec(Cell.LSTM, vocabularySize, hiddenSize, 1, 0, 0, 0.01, 42);
    }

    /** One GRU layer of {@code hiddenSize} units on one-hot input, learning rate 0.01, seed 42. */
    public static GeneratorSpec gru(int vocabularySize, int hiddenSize) {
        return new GeneratorSpec(Cell.GRU, vocabularySize, hiddenSize, 1, 0, 0, 0.01, 42);
    }

    public GeneratorSpec withHiddenSize(int size) {
        return new GeneratorSpec(cell, vocabularySize, size, layers, dropout, embeddingSize, learningRate, seed);
    }

    public GeneratorSpec withLayers(int count) {
        return new GeneratorSpec(cell, vocabularySize, hiddenSize, count, dropout, embeddingSize, learningRate, seed);
    }

    public GeneratorSpec withDropout(double probability) {
        return new GeneratorSpec(cell, vocabularySize, hiddenSize, layers, probability, embeddingSize, learningRate, seed);
    }

    public GeneratorSpec withEmbedding(int size) {
        return new GeneratorSpec(cell, vocabularySize, hiddenSize, layers, dropout, size, learningRate, seed);
    }

    public GeneratorSpec withLearningRate(double rate) {
        return new GeneratorSpec(cell, vocabularySize, hiddenSize, layers, dropout, embeddingSize, rate, seed);
    }

    public GeneratorSpec withSeed(long newSeed) {
        return new GeneratorSpec(cell, vocabularySize, hiddenSize, layers, dropout, embeddingSize, learningRate, newSeed);
    }

    /** How the network takes its input: one-hot vectors, or indices for its embedding layer. */
    public SequenceInput input() {
        return embeddingSize == 0 ? SequenceInput.ONE_HOT : SequenceInput.INDICES;
    }

    /** A new, initialised network of this shape. */
    public MultiLayerNetwork network() {
        var builder = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.XAVIER)
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(5.0)
                .list();
        int in = vocabularySize;
        if (embeddingSize > 0) {
            builder.layer(new EmbeddingSequenceLayer.Builder().nIn(vocabularySize).nOut(embeddingSize).build());
            in = embeddingSize;
        }
        for (int i = 0; i < layers; i++) {
            BaseRecurrentLayer.Builder<?> recurrent = cell == Cell.LSTM ? new FusedLSTM.Builder() : new GRU.Builder();
            recurrent.nIn(i == 0 ? in : hiddenSize).nOut(hiddenSize);
            if (dropout > 0) {
                recurrent.dropOut(1 - dropout); // DL4J takes the probability of keeping an input
            }
            builder.layer(recurrent.build());
        }
        builder.layer(SoftmaxOutput.of(hiddenSize, vocabularySize));
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        return net;
    }

    /**
     * The number of parameters, by the formulas: 4·(in·h + h·h + h) per LSTM layer, 3·(in·h + h·h + h)
     * per GRU layer, V·e for an embedding, h·V + V for the output.
     */
    public long parameterCount() {
        long in = embeddingSize > 0 ? embeddingSize : vocabularySize;
        long count = embeddingSize > 0 ? (long) vocabularySize * embeddingSize : 0;
        for (int i = 0; i < layers; i++) {
            count += cell.blocks() * (in * hiddenSize + (long) hiddenSize * hiddenSize + hiddenSize);
            in = hiddenSize;
        }
        return count + (long) hiddenSize * vocabularySize + vocabularySize;
    }

    /** Throws unless the network has this spec's shape: as many layers, and as many parameters, as it builds. */
    void requireDescribes(MultiLayerNetwork network) {
        int layerCount = layers + 1 + (embeddingSize > 0 ? 1 : 0);
        boolean sameLayers = network.getnLayers() == layerCount && network.numParams() == parameterCount();
        for (int i = 0; sameLayers && i < layers; i++) { // the same count can hide another cell or size (LSTM(50), GRU(60))
            var layer = network.getLayer(i + (embeddingSize > 0 ? 1 : 0)).conf().getLayer();
            sameLayers = (cell == Cell.LSTM ? layer instanceof FusedLSTM || layer instanceof LSTM : layer instanceof GRU)
                    && ((BaseRecurrentLayer) layer).getNOut() == hiddenSize;
        }
        if (!sameLayers) {
            throw new IllegalArgumentException(String.format("The spec (%d × %s(%d)%s over %d symbols: %d layers, %,d "
                    + "parameters) does not describe the network (%d layers, %,d parameters): they do not belong together.",
                    layers, cell, hiddenSize, embeddingSize > 0 ? ", embedding " + embeddingSize : "", vocabularySize, layerCount,
                    parameterCount(), network.getnLayers(), network.numParams()));
        }
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("cell", cell.name());
        p.setProperty("vocabularySize", String.valueOf(vocabularySize));
        p.setProperty("hiddenSize", String.valueOf(hiddenSize));
        p.setProperty("layers", String.valueOf(layers));
        p.setProperty("dropout", String.valueOf(dropout));
        p.setProperty("embeddingSize", String.valueOf(embeddingSize));
        p.setProperty("learningRate", String.valueOf(learningRate));
        p.setProperty("seed", String.valueOf(seed));
        return p;
    }

    static GeneratorSpec fromProperties(Properties p) {
        return new GeneratorSpec(Cell.valueOf(p.getProperty("cell", "LSTM")), Integer.parseInt(p.getProperty("vocabularySize")),
                Integer.parseInt(p.getProperty("hiddenSize")), Integer.parseInt(p.getProperty("layers")),
                Double.parseDouble(p.getProperty("dropout")), Integer.parseInt(p.getProperty("embeddingSize")),
                Double.parseDouble(p.getProperty("learningRate")), Long.parseLong(p.getProperty("seed")));
    }
}
