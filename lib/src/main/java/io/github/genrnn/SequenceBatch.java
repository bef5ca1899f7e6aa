package io.github.genrnn;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns encoded sequences into a DL4J minibatch in the layout its recurrent layers expect:
 * features [batch, vocabulary, time] (one-hot) or [batch, 1, time] (indices), labels
 * [batch, vocabulary, time] one-hot, and masks [batch, time] with 1 for real steps and 0 for
 * the padding after a sequence shorter than the longest in its batch.
 */
public final class SequenceBatch {
    private SequenceBatch() {
    }

    /** Sequences as network input, padded with zeros to the longest: [batch, V, time] one-hot or [batch, 1, time] indices. */
    public static INDArray features(int[][] sequences, int vocabularySize, SequenceInput input) {
        int batch = sequences.length;
        int time = longest(sequences);
        int width = input.features(vocabularySize);
        float[] values = new float[values(batch, width, time)];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < sequences[b].length; t++) {
                requireSymbol(sequences[b][t], vocabularySize, b, t);
                if (input == SequenceInput.ONE_HOT) {
                    values[(b * vocabularySize + sequences[b][t]) * time + t] = 1;
                } else {
                    values[b * time + t] = sequences[b][t];
                }
            }
        }
        return Nd4j.create(values, new long[] {batch, width, time}, 'c');
    }

    /** Inputs and targets of equal length per example, padded to the longest example. */
    public static DataSet of(int[][] inputs, int[][] targets, int vocabularySize, SequenceInput input) {
        int batch = inputs.length;
        int time = longest(inputs);
        float[] labels = new float[values(batch, vocabularySize, time)];
        float[] mask = new float[batch * time];
        boolean ragged = false;
        for (int b = 0; b < batch; b++) {
            if (inputs[b].length != targets[b].length) {
                throw new IllegalArgumentException("Example " + b + " has " + inputs[b].length + " inputs but "
                        + targets[b].length + " targets");
            }
            ragged |= inputs[b].length != time;
            for (int t = 0; t < targets[b].length; t++) {
                requireSymbol(targets[b][t], vocabularySize, b, t);
                labels[(b * vocabularySize + targets[b][t]) * time + t] = 1;
                mask[b * time + t] = 1;
            }
        }
        INDArray f = features(inputs, vocabularySize, input);
        INDArray l = Nd4j.create(labels, new long[] {batch, vocabularySize, time}, 'c');
        if (!ragged) {
            return new DataSet(f, l);
        }
        INDArray m = Nd4j.create(mask, new long[] {batch, time}, 'c');
        return new DataSet(f, l, m, m.dup());
    }

    /**
     * Input windows of equal length, each with one target: the character after the window. The
     * labels keep the shape [batch, vocabulary, time] of {@link #of}, filled only at the last step,
     * and the labels mask is 1 there alone, so the same network (a softmax at every step) learns
     * from the last step only, as a network with one output per window would.
     */
    public static DataSet nextChar(int[][] inputs, int[] targets, int vocabularySize, SequenceInput input) {
        int batch = inputs.length;
        int time = longest(inputs);
        float[] labels = new float[values(batch, vocabularySize, time)];
        float[] mask = new float[batch * time];
        for (int b = 0; b < batch; b++) {
            if (inputs[b].length != time) {
                throw new IllegalArgumentException("Window " + b + " has " + inputs[b].length + " characters, the others "
                        + time + "; next-character windows must all have the same length");
            }
            requireSymbol(targets[b], vocabularySize, b, time - 1);
            labels[(b * vocabularySize + targets[b]) * time + time - 1] = 1;
            mask[b * time + time - 1] = 1;
        }
        return new DataSet(features(inputs, vocabularySize, input), Nd4j.create(labels, new long[] {batch, vocabularySize, time}, 'c'),
                null, Nd4j.create(mask, new long[] {batch, time}, 'c'));
    }

    /** Java arrays end at this length. */
    static final int LARGEST_ARRAY = Integer.MAX_VALUE - 8;

    /** batch · width · time, the values of one array of the minibatch; refused, with advice, beyond a Java array. */
    static int values(long batch, long width, long time) {
        long values = batch * width * time;
        if (values > LARGEST_ARRAY) {
            throw new IllegalArgumentException(tooLarge(batch, time, String.format("%,d values", width), String.format("%,d numbers in one "
                    + "array, more than Java can hold (%,d)", values, LARGEST_ARRAY)) + "; or an embedding (indices, not "
                    + "one-hot vectors).");
        }
        return (int) values;
    }

    /**
     * Refuses, with advice, a minibatch whose gates (batch · gates · time values of the type, kept
     * for the backward pass) would not fit in one ND4J array that Java reads through a buffer: 2 GB.
     */
    static void requireBuffer(long batch, long gates, long time, DataType type) {
        long bytes = batch * gates * time * type.width();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(tooLarge(batch, time, String.format("%,d gate values", gates), String.format("%,d MB in one "
                    + "array, more than Java can read through a buffer (2,048 MB)", bytes >> 20)) + "; or fewer units.");
        }
    }

    private static String tooLarge(long batch, long time, String perStep, String needs) {
        return String.format("A minibatch of %,d sequences of %,d steps with %s per step needs %s. Use smaller minibatches or "
                + "shorter sequences: for long texts, shuffled windows of a fixed length (WindowBatches.shuffled) rather than "
                + "every window of a text in one minibatch", batch, time, perStep, needs);
    }

    /** An index outside the vocabulary would land in another example's one-hot vector: refused. */
    private static void requireSymbol(int index, int vocabularySize, int example, int step) {
        if (index < 0 || index >= vocabularySize) {
            throw new IllegalArgumentException("Example " + example + ", step " + step + " has the symbol index " + index
                    + ", outside the vocabulary's 0.." + (vocabularySize - 1) + "; encode it with the same vocabulary.");
        }
    }

    private static int longest(int[][] sequences) {
        return Arrays.stream(sequences).mapToInt(s -> s.length).max().orElseThrow();
    }
}
