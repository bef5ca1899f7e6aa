package io.github.genrnn;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Minibatches of fixed-length windows over longer texts, for generators that write without end.
 * A window of {@code nchars} characters starting at position {@code s} has the characters
 * {@code s .. s+nchars-1} as input and, as target, either the same window shifted by one
 * ({@code s+1 .. s+nchars}) or only the character after it ({@link #nextChar}).
 * <ul>
 *   <li>{@link #perText}: the lesson's scheme, every window of one text (sliding by one character)
 *       forms one minibatch, so minibatches differ in size; given a limit, a longer text's windows
 *       fill several minibatches in order;</li>
 *   <li>{@link #shuffled}: the lesson's suggested improvement, windows of all texts shuffled
 *       together into minibatches of one size;</li>
 *   <li>{@link #nextChar}: shuffled windows that each predict the single next character.</li>
 * </ul>
 */
public final class WindowBatches extends BatchIterator {
    private final int[][] texts;
    private final int nchars;
    private final int batchSize;              // 0 for minibatches of one text's windows
    private final boolean nextCharTarget;
    private final long[] windows;             // (text << 32 | start), or null for minibatches of one text's windows
    private final long[] pieces;              // per text: (text << 32 | first start) of each minibatch, else null
    private final int maxWindows;             // per text: the most windows in one minibatch
    private final Long seed;
    private final int skipped;

    private WindowBatches(List<String> texts, CharVocabulary vocabulary, int nchars, int stride, int batchSize,
                          Long seed, boolean nextCharTarget, int maxWindows) {
        super(vocabulary, SequenceInput.ONE_HOT);
        if (nchars <= 1) {
            throw new IllegalArgumentException("A window must have at least 2 characters, not nchars = " + nchars);
        }
        requirePositive(stride, "The stride");
        int[][] encoded = encodeAll(texts, vocabulary, "text");
        this.texts = Arrays.stream(encoded).filter(t -> t.length > nchars).toArray(int[][]::new); // a window and one more
        this.skipped = encoded.length - this.texts.length;
        if (this.texts.length == 0) {
            throw new IllegalArgumentException("All " + encoded.length + " texts are shorter than one window of "
                    + nchars + " characters plus the one after it; use a smaller nchars.");
        }
        this.nchars = nchars;
        this.batchSize = batchSize;
        this.nextCharTarget = nextCharTarget;
        this.seed = seed;
        this.windows = batchSize == 0 ? null : starts(stride);
        this.maxWindows = maxWindows;
        this.pieces = batchSize != 0 ? null : starts(maxWindows);
    }

    /** (text << 32 | start) for windows starting every {@code step} characters of every text. */
    private long[] starts(int step) {
        return IntStream.range(0, texts.length)
                .mapToObj(t -> LongStream.iterate(0, s -> s + nchars < texts[t].length, s -> s + step)
                        .map(s -> (long) t << 32 | s))
                .flatMapToLong(w -> w).toArray();
    }

    /** Every window of each text (sliding by one) as one minibatch per text; texts shorter than a window are skipped. */
    public static WindowBatches perText(List<String> texts, CharVocabulary vocabulary, int nchars) {
        return perText(texts, vocabulary, nchars, Integer.MAX_VALUE);
    }

    /**
     * As {@link #perText(List, CharVocabulary, int)}, with at most {@code maxWindows} windows in a
     * minibatch: a longer text's windows fill several, in order. A step's memory grows with its
     * windows, and one long text can otherwise need more than the machine has.
     */
    public static WindowBatches perText(List<String> texts, CharVocabulary vocabulary, int nchars, int maxWindows) {
        requirePositive(maxWindows, "The number of windows in a minibatch");
        return new WindowBatches(texts, vocabulary, nchars, 1, 0, null, false, maxWindows);
    }

    /** Windows starting every {@code stride} characters of every text, shuffled into minibatches of {@code batchSize}. */
    public static WindowBatches shuffled(List<String> texts, CharVocabulary vocabulary, int nchars, int stride,
                                        int batchSize, long seed) {
        requirePositive(batchSize, "The batch size");
        return new WindowBatches(texts, vocabulary, nchars, stride, batchSize, seed, false, 0);
    }

    /** Shuffled windows whose only target is the character after the window ({@link SequenceBatch#nextChar}). */
    public static WindowBatches nextChar(List<String> texts, CharVocabulary vocabulary, int nchars, int stride,
                                        int batchSize, long seed) {
        requirePositive(batchSize, "The batch size");
        return new WindowBatches(texts, vocabulary, nchars, stride, batchSize, seed, true, 0);
    }

    /** How many texts were too short for one window and are not used. */
    public int skippedTexts() {
        return skipped;
    }

    /** The number of windows in one pass. */
    public long windowCount() {
        return windows != null ? windows.length : Arrays.stream(texts).mapToLong(t -> t.length - nchars).sum();
    }

    @Override
    protected int plan(int pass) {
        Random random = seed == null ? null : randomFor(seed, pass);
        if (windows == null) {
            return pieces.length;
        }
        if (random != null) {
            for (int i = windows.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long w = windows[i];
                windows[i] = windows[j];
                windows[j] = w;
            }
        }
        return (windows.length + batchSize - 1) / batchSize;
    }

    @Override
    protected DataSet build(int index) {
        long[] members;
        if (windows == null) {
            int text = (int) (pieces[index] >>> 32), first = (int) pieces[index];
            members = LongStream.range(first, Math.min(texts[text].length - nchars, (long) first + maxWindows))
                    .map(s -> (long) text << 32 | s).toArray();
        } else {
            members = Arrays.copyOfRange(windows, index * batchSize, Math.min(windows.length, (index + 1) * batchSize));
        }
        int[][] inputs = new int[members.length][];
        int[][] targets = new int[members.length][];
        int[] next = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            int[] text = texts[(int) (members[i] >>> 32)];
            int start = (int) members[i];
            inputs[i] = Arrays.copyOfRange(text, start, start + nchars);
            targets[i] = Arrays.copyOfRange(text, start + 1, start + nchars + 1);
            next[i] = text[start + nchars];
        }
        return nextCharTarget
                ? SequenceBatch.nextChar(inputs, next, vocabulary.size(), input)
                : SequenceBatch.of(inputs, targets, vocabulary.size(), input);
    }

    @Override
    public int batch() {
        return batchSize;
    }
}
