package io.github.genrnn;

/**
 * What a training callback is told: where training stands, the latest losses in nats per
 * character, and a generator to sample from the network as it is now. Calling {@link #stop()}
 * ends training after the current epoch.
 *
 * @param epoch          the epoch, from 1
 * @param step           minibatches trained so far, over all epochs
 * @param trainLoss      mean training loss per character since the last report
 * @param validationLoss validation loss per character at the last epoch end (NaN before the first)
 */
public record TrainingEvent(int epoch, long step, double trainLoss, double validationLoss, TextGenerator generator,
                            Runnable stopper) {

    /** Asks training to stop at the end of this epoch. */
    public void stop() {
        stopper.run();
    }

    /** A one-line summary: epoch, step, losses in nats and bits per character. */
    @Override
    public String toString() {
        String validation = Double.isNaN(validationLoss) ? ""
                : String.format(", validation %.3f (%.2f bits)", validationLoss, CharLoss.bits(validationLoss));
        return String.format("epoch %d, step %d: training loss %.3f (%.2f bits)%s", epoch, step, trainLoss,
                CharLoss.bits(trainLoss), validation);
    }
}
