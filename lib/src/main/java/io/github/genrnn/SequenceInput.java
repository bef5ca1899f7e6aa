package io.github.genrnn;

import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * How characters enter a network: as one-hot vectors of the vocabulary's size (features of
 * shape [batch, vocabulary, time]), or as indices for an embedding layer ([batch, 1, time]).
 */
public enum SequenceInput {
    ONE_HOT, INDICES;

    /** The number of input features per time step for a vocabulary of this size. */
    public int features(int vocabularySize) {
        return this == ONE_HOT ? vocabularySize : 1;
    }

    /** How this network reads its input: indices when its first layer is an embedding. */
    static SequenceInput of(MultiLayerNetwork network) {
        return network.getLayer(0).conf().getLayer() instanceof EmbeddingSequenceLayer ? INDICES : ONE_HOT;
    }
}
