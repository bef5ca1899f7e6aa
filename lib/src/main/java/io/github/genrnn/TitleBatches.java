package io.github.genrnn;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Minibatches of titles for a generator, as in the lesson: each title is an input sequence, its
 * target is the same sequence shifted left by one and ended with {@code <eos>}, and a batch is
 * padded to its longest title with masks marking the padding. Shapes are those of
 * {@link SequenceBatch}. Titles are kept as indices; each batch is built when it is asked for.
 *
 * <pre>{@code
 * var batches = TitleBatches.of(titles, vocabulary, 64).shuffled(42).bucketed();
 * }</pre>
 */
public final class TitleBatches extends BatchIterator {
    private final int[][] titles;
    private final int batchSize;
    private final Long seed;
    private final boolean bucketed;
    private final boolean withEos;
    private int[][] plan;

    private TitleBatches(int[][] titles, CharVocabulary vocabulary, int batchSize, SequenceInput input,
                         Long seed, boolean bucketed, boolean withEos) {
        super(vocabulary, input);
        this.titles = titles;
        this.batchSize = batchSize;
        this.seed = seed;
        this.bucketed = bucketed;
        this.withEos = withEos;
    }

    /** Batches of {@code batchSize} titles in their given order, one-hot encoded. */
    public static TitleBatches of(List<String> titles, CharVocabulary vocabulary, int batchSize) {
        requirePositive(batchSize, "The batch size");
        return new TitleBatches(encodeAll(titles, vocabulary, "title"), vocabulary, batchSize,
                SequenceInput.ONE_HOT, null, false, true);
    }

    /** The same titles, shuffled again at every pass, reproducibly for a given seed. */
    public TitleBatches shuffled(long seed) {
        return new TitleBatches(titles, vocabulary, batchSize, input, seed, bucketed, withEos);
    }

    /** The same titles, batched with titles of similar length so that batches need less padding. */
    public TitleBatches bucketed() {
        return new TitleBatches(titles, vocabulary, batchSize, input, seed, true, withEos);
    }

    /** The same titles, with features as indices for an embedding layer, or one-hot. */
    public TitleBatches withInput(SequenceInput newInput) {
        return new TitleBatches(titles, vocabulary, batchSize, newInput, seed, bucketed, withEos);
    }

    /**
     * The same titles without their end: the input stops one character early and the target is the
     * title from its second character, with no {@code <eos>}. This scores networks trained on
     * endless text, which never learn an end, on titles; titles of one character are left out.
     */
    public TitleBatches withoutEos() {
        int[][] longer = Arrays.stream(titles).filter(t -> t.length > 1).toArray(int[][]::new);
        return new TitleBatches(longer, vocabulary, batchSize, input, seed, bucketed, false);
    }

    /** The input of one title (its characters) and its target (shifted left by one, then {@code <eos>}). */
    public static int[][] inputAndTarget(int[] title, int eos) {
        int[] target = Arrays.copyOfRange(title, 1, title.length + 1);
        target[title.length - 1] = eos;
        return new int[][] {title, target};
    }

    @Override
    protected int plan(int pass) {
        plan = batchesOf(lengths(), batchSize, seed, pass, bucketed);
        return plan.length;
    }

    private int[] lengths() {
        return Arrays.stream(titles).mapToInt(t -> t.length).toArray();
    }

    @Override
    protected DataSet build(int index) {
        int[] members = plan[index];
        int[][] inputs = new int[members.length][];
        int[][] targets = new int[members.length][];
        for (int i = 0; i < members.length; i++) {
            int[] title = titles[members[i]];
            int[][] pair = withEos ? inputAndTarget(title, vocabulary.eos())
                    : new int[][] {Arrays.copyOf(title, title.length - 1), Arrays.copyOfRange(title, 1, title.length)};
            inputs[i] = pair[0];
            targets[i] = pair[1];
        }
        return SequenceBatch.of(inputs, targets, vocabulary.size(), input);
    }

    /** The number of padded (masked) positions in the first pass, to compare batching strategies. */
    public long paddedPositions() {
        return paddingOf(lengths(), batchSize, seed, bucketed);
    }

    @Override
    public int batch() {
        return batchSize;
    }
}
