package io.github.genrnn;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The parts of a DL4J {@link DataSetIterator} that the course's batch iterators share: a plan of
 * batches made at each reset, and one batch built on demand at each {@link #next()}, so that no
 * more than one minibatch is held in memory at a time.
 */
abstract class BatchIterator implements DataSetIterator {
    protected final CharVocabulary vocabulary;
    protected final SequenceInput input;
    private DataSetPreProcessor preProcessor;
    private int cursor;
    private int batches;
    private int pass;

    BatchIterator(CharVocabulary vocabulary, SequenceInput input) {
        this.vocabulary = vocabulary;
        this.input = input;
    }

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

    /** Builds batch number {@code index} of the current plan. */
    protected abstract DataSet build(int index);

    /** The number of batches in one pass. */
    /** The vocabulary the batches are encoded with. */
    CharVocabulary vocabulary() {
        return vocabulary;
    }

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
    public int inputColumns() {
        return input.features(vocabulary.size());
    }

    @Override
    public int totalOutcomes() {
        return vocabulary.size();
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

    /** The texts encoded, with an error naming the first text that is empty or has unknown characters. */
    static int[][] encodeAll(List<String> texts, CharVocabulary vocabulary, String what) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("There are no " + what + "s to make batches from: the corpus is empty.");
        }
        int[][] encoded = new int[texts.size()][];
        for (int i = 0; i < encoded.length; i++) {
            String text = texts.get(i);
            if (text.isEmpty()) {
                throw new IllegalArgumentException("The " + what + " at position " + i + " is empty; remove empty texts first.");
            }
            try {
                encoded[i] = vocabulary.encode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The " + what + " at position " + i + ": " + e.getMessage(), e);
            }
        }
        return encoded;
    }

    static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
    }
}
