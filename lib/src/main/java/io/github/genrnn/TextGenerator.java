package io.github.genrnn;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 *
 * <p>By default the network is stepped in plain Java ({@link PlainJavaNetwork}), with the weights
 * the network has at the start of each call: a generator made before training writes with the
 * trained weights. {@link Engine#DL4J} steps it with DL4J's {@code rnnTimeStep}. Both give the
 * same text for the same random seed. Like a DL4J network, a generator is for one thread at a time.
 */
public final class TextGenerator {
    /** What steps the network: plain Java (fast), or DL4J itself (the reference). */
    public enum Engine { JAVA, DL4J }

    private final MultiLayerNetwork network;
    private final CharVocabulary vocabulary;
    private final Engine engine;
    private PlainJavaNetwork copy;
    private float[] copiedWeights;

    /** A generator stepped in plain Java. */
    public TextGenerator(MultiLayerNetwork network, CharVocabulary vocabulary) {
        this(network, vocabulary, Engine.JAVA);
    }

    public TextGenerator(MultiLayerNetwork network, CharVocabulary vocabulary, Engine engine) {
        long symbols = ((FeedForwardLayer) network.getOutputLayer().conf().getLayer()).getNOut();
        if (symbols != vocabulary.size()) {
            throw new IllegalArgumentException("The network writes " + symbols + " symbols but the vocabulary has "
                    + vocabulary.size() + "; generate with the vocabulary the network was trained with (a checkpoint's vocabulary()).");
        }
        this.network = network;
        this.vocabulary = vocabulary;
        this.engine = engine;
        stepper().reset(); // a network the engine cannot step is refused here, not at the first call
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
        SymbolStepper stepper = stepper();
        try {
            return withTemperature(start(stepper, prompt), temperature);
        } finally {
            stepper.reset();
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
            throw new IllegalArgumentException("The maximum length must be at least 1, not " + maxLength + ".");
        }
        StringBuilder text = new StringBuilder(prompt);
        SymbolStepper stepper = stepper();
        try {
            double[] probabilities = start(stepper, prompt);
            for (int i = 0; i < maxLength; i++) {
                requireNotInterrupted(i);
                int next = chooser.choose(probabilities);
                if (next == vocabulary.eos()) {
                    break;
                }
                text.append(vocabulary.charAt(next));
                probabilities = withoutPadding(stepper.feed(next));
            }
            return text.toString();
        } finally {
            stepper.reset();
        }
    }

    /** Ends a long generation when its thread is interrupted (■), which it would otherwise ignore. */
    static void requireNotInterrupted(int written) {
        if (Thread.interrupted()) {
            throw new GenerationInterruptedException("Generation was interrupted after " + written + " symbols; nothing was returned."
                    + " Ask for fewer symbols to wait less.");
        }
    }

    /** DL4J's network itself, or the plain-Java copy, made again only when the network's weights have changed. */
    private SymbolStepper stepper() {
        if (engine == Engine.DL4J) {
            return new Dl4jStepper(network, vocabulary.size());
        }
        if (copy == null || weightsChanged()) {
            copy = PlainJavaNetwork.copyOf(network);
            copiedWeights = Dense.vector(network.params());
        }
        return copy;
    }

    /** Whether the network's weights differ from the ones last copied, compared in ND4J's own buffer. */
    private boolean weightsChanged() {
        INDArray weights = network.params();
        if (weights.dataType() != DataType.FLOAT || weights.elementWiseStride() != 1) {
            return true; // not one run of floats: copy again rather than compare
        }
        FloatBuffer now = weights.data().asNioFloat().slice((int) weights.offset(), (int) weights.length());
        return now.mismatch(FloatBuffer.wrap(copiedWeights)) != -1;
    }

    /** Feeds the whole prompt and returns the distribution after its last character. */
    private double[] start(SymbolStepper stepper, String prompt) {
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("The prompt is empty; give at least one character to start from.");
        }
        return withoutPadding(stepper.feed(vocabulary.encode(prompt)));
    }

    private static double[] withoutPadding(double[] p) {
        p[CharVocabulary.PAD] = 0;
        return p;
    }

    /** p^(1/T), normalised, computed in log space so that small T does not underflow. */
    static double[] withTemperature(double[] p, double temperature) {
        double top = Math.log(Arrays.stream(p).max().orElseThrow());
        double[] scaled = new double[p.length];
        for (int i = 0; i < p.length; i++) { // relative to the likeliest, so that a tiny T gives 0 there, not -∞ - -∞
            scaled[i] = p[i] > 0 ? (Math.log(p[i]) - top) / temperature : Double.NEGATIVE_INFINITY;
        }
        return Dense.softmax(scaled);
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

    static void requireTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("The temperature must be a positive, finite number, not " + temperature
                    + "; for the most likely character at every step use greedy().");
        }
    }
}
