package io.github.genrnn;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Cross-entropy per character, the number readers should see. DL4J's score of a minibatch for a
 * recurrent output layer sums the loss over the (unmasked) time steps of each example and
 * averages over the examples; dividing out the steps gives nats per character, and dividing by
 * ln 2 gives bits per character.
 */
public final class CharLoss {
    private CharLoss() {
    }

    /** The mean loss per predicted character of a minibatch, from DL4J's score of it. */
    public static double perCharacter(double score, DataSet batch) {
        return score * batch.numExamples() / predictedCharacters(batch);
    }

    /** How many characters a minibatch asks the network to predict: its unmasked label steps. */
    static long predictedCharacters(DataSet batch) {
        INDArray labels = batch.getLabels();
        INDArray mask = batch.getLabelsMaskArray();
        if (mask != null) {
            return mask.sumNumber().longValue();
        }
        return labels.rank() == 3 ? labels.size(0) * labels.size(2) : labels.size(0);
    }

    /** Nats to bits. */
    public static double bits(double nats) {
        return nats / Math.log(2);
    }

    /** The mean loss per character of the network over every batch of the iterator, without dropout. */
    public static double evaluate(MultiLayerNetwork network, DataSetIterator batches) {
        batches.reset();
        double total = 0;
        long characters = 0;
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            total += network.score(batch, false) * batch.numExamples();
            characters += predictedCharacters(batch);
        }
        if (characters == 0) {
            throw new IllegalArgumentException("The batches hold no characters to predict");
        }
        return total / characters;
    }
}
