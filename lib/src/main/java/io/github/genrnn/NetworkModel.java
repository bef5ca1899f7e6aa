package io.github.genrnn;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained generator as a {@link SymbolModel}: a plain-Java copy of its weights
 * ({@link PlainJavaNetwork}), whose states are copied at every point of a text, so that sampling
 * and beam search can go on from any point without feeding the text again.
 */
public final class NetworkModel implements SymbolModel {
    private final PlainJavaNetwork network;
    private final int vocabularySize;

    /** A copy of the network as it is now; training it later does not change the copy. */
    public NetworkModel(MultiLayerNetwork network) {
        this.network = PlainJavaNetwork.copyOf(network);
        this.vocabularySize = (int) network.getOutputLayer().getParam("W").size(1);
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public State start(int... prompt) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("A network needs a prompt of at least one symbol to start from.");
        }
        network.reset();
        double[] next = network.feed(prompt);
        return new Point(network.saveState(), next);
    }

    /** The network's state at one point of a text, and its distribution there. */
    private final class Point implements State {
        private final float[][] state;
        private final double[] next;

        Point(float[][] state, double[] next) {
            this.state = state;
            this.next = next;
        }

        @Override
        public double[] next() {
            return next.clone();
        }

        @Override
        public State after(int symbol) {
            network.restore(state);
            double[] after = network.feed(symbol);
            return new Point(network.saveState(), after);
        }
    }
}
