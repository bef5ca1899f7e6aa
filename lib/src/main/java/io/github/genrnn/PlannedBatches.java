package io.github.genrnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The parts of a DL4J {@link DataSetIterator} that the course's batch iterators share: a plan of
 * batches made at each reset, and one batch built on demand at each {@link #next()}, so that no
 * more than one minibatch is held in memory at a time.
 */
abstract class PlannedBatches implements DataSetIterator {
    /** How many batches' worth of sequences are sorted together when bucketing by length. */
    private static final int BUCKET_BATCHES = 32;

    private DataSetPreProcessor preProcessor;
    private int cursor;
    private int batches;
    private int pass;

    /**
     * Plans the batches of pass number {@code pass} over the data and returns how many there are. A
     * shuffled order must depend only on the seed and the pass ({@link #randomFor}), so that training
     * resumed at an epoch sees the batches it would have seen had it never stopped.
     */
    protected abstract int plan(int pass);

    /** The random numbers of one pass: a function of the seed and the pass alone. */
    static Random randomFor(long seed, int pass) {
        return new Random(seed ^ pass * 0x9E3779B97F4A7C15L);
    }

    /**
     * The members of each batch of pass {@code pass}, for sequences of these lengths: in their
     * order, or shuffled when there is a seed; when bucketed, sorted by length within groups of 32
     * batches, then the batches shuffled, so that a batch holds sequences of similar length and
     * needs little padding.
     */
    static int[][] batchesOf(int[] lengths, int batchSize, Long seed, int pass, boolean bucketed) {
        Random random = seed == null ? null : randomFor(seed, pass);
        List<Integer> order = new ArrayList<>(IntStream.range(0, lengths.length).boxed().toList());
        if (random != null) {
            Collections.shuffle(order, random);
        }
        if (bucketed) {
            long bucket = (long) BUCKET_BATCHES * batchSize;
            for (long from = 0; from < order.size(); from += bucket) {
                order.subList((int) from, (int) Math.min(order.size(), from + bucket)).sort(Comparator.comparingInt(i -> lengths[i]));
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (long from = 0; from < order.size(); from += batchSize) {
            batches.add(order.subList((int) from, (int) Math.min(order.size(), from + batchSize)).stream().mapToInt(i -> i).toArray());
        }
        if (bucketed && random != null) {
            Collections.shuffle(batches, random);
        }
        return batches.toArray(int[][]::new);
    }

    /** How many padded (masked) positions the first pass's batches need, each padded to its longest member. */
    static long paddingOf(int[] lengths, int batchSize, Long seed, boolean bucketed) {
        long padded = 0;
        for (int[] members : batchesOf(lengths, batchSize, seed, 0, bucketed)) {
            int longest = Arrays.stream(members).map(i -> lengths[i]).max().orElse(0);
            padded += Arrays.stream(members).mapToLong(i -> longest - lengths[i]).sum();
        }
        return padded;
    }

    /** Builds batch number {@code index} of the current plan. */
    protected abstract DataSet build(int index);

    /** The number of batches in one pass. */
    public int batchCount() {
        ensurePlanned();
        return batches;
    }

    private void ensurePlanned() {
        if (batches == 0) {
            batches = plan(pass);
        }
    }

    /** Starts pass number {@code pass} over the data (training starts epoch e with pass e). */
    void startPass(int number) {
        pass = number;
        cursor = 0;
        batches = plan(number);
    }

    @Override
    public boolean hasNext() {
        ensurePlanned();
        return cursor < batches;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The pass is over; call reset() to start another");
        }
        DataSet batch = build(cursor++);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("The batch size is fixed when the iterator is made");
    }

    @Override
    public void reset() {
        startPass(pass + 1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
    }
}
