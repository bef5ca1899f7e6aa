package io.github.genrnn;

import java.time.Duration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A news classifier: a network of a {@link ClassifierSpec} with the {@link WordVocabulary} it
 * reads, trained for a time budget, scored on a test split, and asked about any text.
 */
public final class NewsClassifier {
    private final WordVocabulary vocabulary;
    private final MultiLayerNetwork network;
    private long steps;
    private double seconds;

    /** An untrained classifier; the spec's vocabulary size must be the vocabulary's. */
    public NewsClassifier(ClassifierSpec spec, WordVocabulary vocabulary) {
        if (spec.vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("The spec is for " + spec.vocabularySize() + " words, the vocabulary has "
                    + vocabulary.size() + ": build the spec with vocabulary.size().");
        }
        this.vocabulary = vocabulary;
        this.network = spec.network();
    }

    /**
     * Trains on the batches, pass after pass, until {@code budget} of training time is spent (the
     * minibatch that spends it is finished); returns this. An interrupted thread stops it after the
     * current minibatch, with an error saying how far it got; what was learned stays in the network.
     */
    public NewsClassifier train(NewsBatches batches, Duration budget) {
        long start = System.nanoTime(), limit = budget.toNanos();
        try {
            while (System.nanoTime() - start < limit) {
                if (!batches.hasNext()) {
                    batches.reset();
                }
                network.fit(batches.next());
                steps++;
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException(String.format("Training was interrupted after %d steps (%.2f epochs); the "
                            + "classifier keeps what it learned and can be evaluated or trained on.", steps, epochs(batches)));
                }
            }
        } finally {
            seconds += (System.nanoTime() - start) / 1e9;
        }
        return this;
    }

    /** Training steps so far, each one minibatch. */
    public long steps() {
        return steps;
    }

    /** Seconds of training so far. */
    public double seconds() {
        return seconds;
    }

    /** Passes over these batches' articles that the steps so far add up to. */
    public double epochs(NewsBatches batches) {
        return (double) steps / batches.batchCount();
    }

    /** Every article of the batches classified, counted by actual and predicted class. */
    public ConfusionMatrix evaluate(NewsBatches batches) {
        ConfusionMatrix matrix = new ConfusionMatrix();
        batches.reset();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            INDArray p = network.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), null);
            INDArray actual = batch.getLabels().argMax(1), predicted = p.argMax(1);
            for (int i = 0; i < actual.length(); i++) {
                matrix.add(actual.getInt(i), predicted.getInt(i));
            }
        }
        return matrix;
    }

    /** The probabilities of the four classes for a text; a text without words is refused. */
    public double[] probabilities(String text) {
        int[] words = vocabulary.encode(text);
        DataSet one = NewsBatches.batchOf(new int[][] {words}, new int[] {0}, vocabulary.size());
        return network.output(one.getFeatures(), false).toDoubleVector();
    }

    /** The likeliest class of a text. */
    public String classify(String text) {
        double[] p = probabilities(text);
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        return NewsArticle.CLASSES[best];
    }

    public MultiLayerNetwork network() {
        return network;
    }
}
