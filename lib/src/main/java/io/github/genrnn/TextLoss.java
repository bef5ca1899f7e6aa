package io.github.genrnn;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A generator's loss on a long text, symbol by symbol, on the same targets as
 * {@link NGramModel#losses}: every symbol after the first, each given all the text before it. The
 * text is read in parallel streams (DL4J's {@code rnnTimeStep}, which keeps the state between
 * calls); each stream first reads up to {@value #WARM_UP} symbols before its part without scoring
 * them, so no scored symbol is predicted from a zero state but the text's second.
 */
public final class TextLoss {
    static final int WARM_UP = 200;
    private static final int STREAMS = 16;
    /**
     * The size of the largest array one call makes, streams × steps × width, the width being the
     * vocabulary's or a layer's widest (an LSTM's four gates): a whole held-out text in one call
     * made arrays of hundreds of MB.
     */
    private static final long VALUES_PER_CALL = 4_000_000;

    private TextLoss() {
    }

    /** The loss in nats of every symbol of the text after the first. */
    public static double[] perSymbol(MultiLayerNetwork network, int[] text) {
        return perSymbol(network, text, VALUES_PER_CALL);
    }

    /** {@link #perSymbol(MultiLayerNetwork, int[])} in calls whose largest array holds about {@code valuesPerCall} values. */
    static double[] perSymbol(MultiLayerNetwork network, int[] text, long valuesPerCall) {
        int targets = text.length - 1;
        if (targets < 1) {
            throw new IllegalArgumentException("Scoring needs a text of at least 2 symbols, not " + text.length);
        }
        int vocabularySize = (int) network.getOutputLayer().getParam("W").size(1);
        SequenceInput input = SequenceInput.of(network);
        for (int i = 0; i < text.length; i++) {
            if (text[i] < 0 || text[i] >= vocabularySize) {
                throw new IllegalArgumentException("Symbol " + i + " of the text is " + text[i] + ", outside the network's "
                        + "vocabulary 0.." + (vocabularySize - 1) + "; encode the text with the network's vocabulary.");
            }
        }
        int streams = Math.max(1, Math.min(STREAMS, targets / (4 * WARM_UP)));
        int[] from = new int[streams], first = new int[streams], to = new int[streams]; // inputs from; targets first..to-1
        int longest = 0;
        for (int s = 0; s < streams; s++) {
            first[s] = 1 + (int) ((long) targets * s / streams);
            to[s] = 1 + (int) ((long) targets * (s + 1) / streams);
            from[s] = Math.max(0, first[s] - 1 - WARM_UP);
            longest = Math.max(longest, to[s] - 1 - from[s]);
        }
        long widest = Math.max(vocabularySize, Arrays.stream(network.getLayers())
                .flatMap(layer -> layer.paramTable().values().stream()).mapToLong(p -> p.size(p.rank() - 1)).max().orElse(0));
        int chunk = (int) Math.max(1, Math.min(longest, valuesPerCall / (streams * widest)));
        double[] losses = new double[targets];
        network.rnnClearPreviousState();
        try {
            for (int start = 0; start < longest; start += chunk) {
                int steps = Math.min(chunk, longest - start);
                int[][] inputs = new int[streams][steps];
                for (int s = 0; s < streams; s++) {
                    for (int t = 0; t < steps; t++) {
                        int at = from[s] + start + t;
                        inputs[s][t] = at < to[s] - 1 ? text[at] : 0; // after its part a stream reads padding, unscored
                    }
                }
                INDArray features = SequenceBatch.features(inputs, vocabularySize, input);
                INDArray output = network.rnnTimeStep(features), rowMajor = output.dup('c');
                double[] p = Buffers.read(rowMajor);
                GatedLayer.free(features, output, rowMajor); // up to 16 MB each: freed now, not when the collector runs
                for (int s = 0; s < streams; s++) {
                    for (int t = 0; t < steps; t++) {
                        int target = from[s] + start + t + 1;
                        if (target >= first[s] && target < to[s]) { // a float softmax can round to 0: at least MIN_NORMAL
                            double q = p[(s * vocabularySize + text[target]) * steps + t];
                            losses[target - 1] = -Math.log(Math.max(Float.MIN_NORMAL, q));
                        }
                    }
                }
            }
        } finally {
            network.rnnClearPreviousState();
        }
        return losses;
    }

    /** The mean of {@link #perSymbol}: nats per symbol. */
    public static double mean(MultiLayerNetwork network, int[] text) {
        return Arrays.stream(perSymbol(network, text)).average().orElseThrow();
    }
}
