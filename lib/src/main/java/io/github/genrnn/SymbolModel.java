package io.github.genrnn;

/**
 * Anything that gives the distribution of the next symbol of a text: a counting model
 * ({@link NGramModel}) or a trained network ({@link NetworkModel}). {@link Decoding} writes with either.
 */
public interface SymbolModel {

    /** How many symbols the distributions cover. */
    int vocabularySize();

    /** Where the model stands after reading a prompt. */
    State start(int... prompt);

    /** A point in a text: the next symbol's distribution there, and the states after each possible symbol. */
    interface State {

        /** The probabilities of every symbol coming next (a new array each call). */
        double[] next();

        /** The state after one more symbol; this state stays as it was. */
        State after(int symbol);
    }
}
