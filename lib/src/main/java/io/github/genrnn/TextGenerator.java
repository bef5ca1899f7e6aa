package io.github.genrnn;

import java.util.Random;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Writes text with a trained generator. The prompt is fed once; then the network is stepped one
 * character at a time, keeping its recurrent state, so each new character costs one step rather
 * than a pass over everything written so far. Generation stops at {@code <eos>} or after
 * {@code maxLength} new characters, and never produces the padding symbol.
 *
 * <p>Temperature {@code T} reshapes the next-character distribution {@code p} into
 * {@code p^(1/T)}, normalised: below 1 it sharpens towards the most likely character, above 1 it
 * flattens towards uniform. Greedy decoding, which always takes the most likely character, is
 * its limit as {@code T} goes to 0; it has its own method, and {@code T <= 0} is rejected.
 */
public final class TextGenerator {
    private final MultiLayerNetwork network;
    private final CharVocabulary vocabulary;
    private final SequenceInput input;

    public TextGenerator(MultiLayerNetwork network, CharVocabulary vocabulary) {
        this.network = network;
        this.vocabulary = vocabulary;
        this.input = network.getLayer(0).conf().getLayer() instanceof EmbeddingSequenceLayer
                ? SequenceInput.INDICES : SequenceInput.ONE_HOT;
    }

    /** The prompt followed by the most likely character at every step, until {@code <eos>} or {@code maxLength} more. */
    public String greedy(String prompt, int maxLength) {
        return generate(prompt, maxLength, TextGenerator::argmax);
    }

    /** The prompt followed by characters drawn at the given temperature from the network's distribution. */
    public String sample(String prompt, double temperature, int maxLength, Random random) {
        requireTemperature(temperature);
        return generate(prompt, maxLength, p -> draw(withTemperature(p, temperature), random));
    }

    /** The distribution of the character after the prompt, at a temperature (padding has probability 0). */
    public double[] nextCharDistribution(String prompt, double temperature) {
        requireTemperature(temperature);
        try {
            return withTemperature(start(prompt), temperature);
        } finally {
            network.rnnClearPreviousState();
        }
    }

    /** The distribution of the character after the prompt, as the network gives it (temperature 1). */
    public double[] nextCharDistribution(String prompt) {
        return nextCharDistribution(prompt, 1.0);
    }

    private interface Chooser {
        int choose(double[] probabilities);
    }

    private String generate(String prompt, int maxLength, Chooser chooser) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("The maximum length must be at least 1, not " + maxLength);
        }
        StringBuilder text = new StringBuilder(prompt);
        try {
            double[] probabilities = start(prompt);
            for (int i = 0; i < maxLength; i++) {
                int next = chooser.choose(probabilities);
                if (next == vocabulary.eos()) {
                    break;
                }
                text.append(vocabulary.charAt(next));
                probabilities = step(next);
            }
            return text.toString();
        } finally {
            network.rnnClearPreviousState();
        }
    }

    /** Feeds the whole prompt in one call and returns the distribution after its last character. */
    private double[] start(String prompt) {
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("The prompt is empty; give at least one character to start from.");
        }
        int[] indices = vocabulary.encode(prompt);
        network.rnnClearPreviousState();
        INDArray out = network.rnnTimeStep(encode(indices));
        return withoutPadding(out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(indices.length - 1)));
    }

    private double[] step(int index) {
        INDArray out = network.rnnTimeStep(encode(new int[] {index}));
        return withoutPadding(out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(0)));
    }

    private INDArray encode(int[] indices) {
        return SequenceBatch.features(new int[][] {indices}, vocabulary.size(), input);
    }

    private static double[] withoutPadding(INDArray probabilities) {
        double[] p = probabilities.toDoubleVector();
        p[CharVocabulary.PAD] = 0;
        return p;
    }

    /** p^(1/T), normalised, computed in log space so that small T does not underflow. */
    static double[] withTemperature(double[] p, double temperature) {
        double[] scaled = new double[p.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            scaled[i] = p[i] > 0 ? Math.log(p[i]) / temperature : Double.NEGATIVE_INFINITY;
            max = Math.max(max, scaled[i]);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            scaled[i] = Math.exp(scaled[i] - max);
            sum += scaled[i];
        }
        for (int i = 0; i < p.length; i++) {
            scaled[i] /= sum;
        }
        return scaled;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    static int draw(double[] p, Random random) {
        double u = random.nextDouble();
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                last = i;
                u -= p[i];
                if (u < 0) {
                    return i;
                }
            }
        }
        return last; // rounding left a sliver: the last possible symbol
    }

    private static void requireTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("The temperature must be a positive, finite number, not " + temperature
                    + "; for the most likely character at every step use greedy().");
        }
    }
}
