package io.github.genrnn;

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
}
