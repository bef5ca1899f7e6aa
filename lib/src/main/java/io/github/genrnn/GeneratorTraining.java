package io.github.genrnn;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains a generator epoch by epoch. It reports the loss per character (and bits), measures a
 * validation loss before training and at each epoch end, calls the sampling callbacks the caller gives, draws a
 * progress bar, keeps the loss history, and — with a checkpoint folder — saves {@code last.zip}
 * after every epoch and {@code best.zip} whenever the validation loss improves. An interrupt of
 * its thread (■ in Jupyter) stops it after the current minibatch with a
 * {@link TrainingInterruptedException} that says where it stopped; the checkpoints stay as they were.
 *
 * <pre>{@code
 * LossHistory history = GeneratorTraining.of(net, vocabulary, spec, trainBatches)
 *         .validation(validationBatches)
 *         .epochs(5)
 *         .onEpochEnd(e -> System.out.println(e + "\n  " + e.generator().greedy("Today ", 60)))
 *         .checkpoints(Path.of("checkpoints"))
 *         .run();
 * }</pre>
 */
public final class GeneratorTraining {
    /** Minibatches in a row with a loss above twice a uniform guess's after which training counts as diverged. */
    static final int DIVERGED_AFTER = 20;
    private final MultiLayerNetwork network;
    private final CharVocabulary vocabulary;
    private final GeneratorSpec spec;
    private final DataSetIterator train;
    private final TextGenerator generator;
    private LossHistory history = new LossHistory();
    private DataSetIterator validation;
    private int epochs = 1;
    private int completedEpochs;
    private int resumedFromEpoch;
    private long step;
    private int reportEvery;
    private Consumer<TrainingEvent> onReport = e -> { };
    private Consumer<TrainingEvent> onEpochEnd = e -> { };
    private Path checkpointDir;
    private int patience = Integer.MAX_VALUE;
    private PrintStream progress = System.out;
    private boolean stopRequested;
    private Path lastSaved;
    private int aboveTwiceUniform;
    private double seconds;                                  // of training: fitting minibatches only
    private double secondsLimit = Double.POSITIVE_INFINITY;
    private double validationInterval;                       // seconds of training; 0 for epoch ends only
    private double nextValidation;
    private long stepsLimit = Long.MAX_VALUE;
    private int validationSteps;                             // minibatches between checks; 0 for none
    private boolean limitReached;
    private long validatedAt = -1;                           // the step of the last validation
    private boolean lastValidationImproved;

    private GeneratorTraining(MultiLayerNetwork network, CharVocabulary vocabulary, GeneratorSpec spec,
                              DataSetIterator train) {
        if (spec.vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("The spec is for " + spec.vocabularySize() + " symbols, the vocabulary has "
                    + vocabulary.size());
        }
        spec.requireDescribes(network);
        requireEncodedWith(train, vocabulary, "training");
        this.network = network;
        this.vocabulary = vocabulary;
        this.spec = spec;
        this.train = train;
        this.generator = new TextGenerator(network, vocabulary);
    }

    /** Training of a new network on these batches. */
    public static GeneratorTraining of(MultiLayerNetwork network, CharVocabulary vocabulary, GeneratorSpec spec,
                                       DataSetIterator train) {
        return new GeneratorTraining(network, vocabulary, spec, train);
    }

    /** Training that goes on from a checkpoint: its network, history, epoch and step. */
    public static GeneratorTraining resume(Checkpoint checkpoint, DataSetIterator train) {
        GeneratorTraining training = new GeneratorTraining(checkpoint.network(), checkpoint.vocabulary(),
                checkpoint.spec(), train);
        training.history = checkpoint.history();
        training.completedEpochs = checkpoint.epoch();
        training.resumedFromEpoch = checkpoint.epoch();
        training.step = checkpoint.step();
        training.seconds = checkpoint.history().trainingSeconds();
        return training;
    }

    /** Batches to measure the validation loss on at each epoch end. */
    public GeneratorTraining validation(DataSetIterator batches) {
        if (batches == train) {
            throw new IllegalArgumentException("The validation batches are the training batches themselves: measuring them "
                    + "would rewind the iterator training reads, and the loss would not be on held-out text. Give validation "
                    + "its own batches of held-out titles, e.g. TitleBatches.of(heldOut, vocabulary, 128).");
        }
        requireEncodedWith(batches, vocabulary, "validation");
        this.validation = batches;
        return this;
    }

    /** The epoch to train up to (counting those of a resumed checkpoint). */
    public GeneratorTraining epochs(int count) {
        BatchIterator.requirePositive(count, "The number of epochs");
        this.epochs = count;
        return this;
    }

    /** Calls back every {@code steps} minibatches with the mean training loss since the last report. */
    public GeneratorTraining every(int steps, Consumer<TrainingEvent> callback) {
        BatchIterator.requirePositive(steps, "The report interval");
        this.reportEvery = steps;
        this.onReport = callback;
        return this;
    }

    /** Calls back at each epoch end, after the validation loss is measured and checkpoints are saved. */
    public GeneratorTraining onEpochEnd(Consumer<TrainingEvent> callback) {
        this.onEpochEnd = callback;
        return this;
    }

    /**
     * Saves {@code last.zip} every epoch and {@code best.zip} at each new best validation loss in this
     * folder. A new run moves an earlier run's checkpoints found there into a subfolder first. While it
     * trains, the folder is this run's: another training into it, in this kernel or another process, is refused.
     */
    public GeneratorTraining checkpoints(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Stops when the validation loss has not improved for this many epochs. */
    public GeneratorTraining patience(int epochsWithoutImprovement) {
        BatchIterator.requirePositive(epochsWithoutImprovement, "The patience");
        this.patience = epochsWithoutImprovement;
        return this;
    }

    /**
     * Stops once this much training time is spent, after the minibatch that spends it; the epoch
     * then ends there, with its validation and checkpoints. Training time counts the minibatches
     * only, not validation or callbacks, so that runs of different models compare fairly.
     */
    public GeneratorTraining timeLimit(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("The time limit must be positive, not " + limit);
        }
        this.secondsLimit = limit.toNanos() / 1e9;
        return this;
    }

    /**
     * Also measures the validation loss whenever this much more training time has passed, in the
     * middle of an epoch too, for loss curves over time. With checkpoints, a new best is saved in
     * {@code best.zip} there; it records the epochs completed before it.
     */
    public GeneratorTraining validateEvery(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("The validation interval must be positive, not " + interval);
        }
        this.validationInterval = interval.toNanos() / 1e9;
        this.nextValidation = seconds + validationInterval;
        return this;
    }

    /** Stops after this many minibatches in all; the epoch then ends there, with its validation and checkpoints. */
    public GeneratorTraining stepLimit(long steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("The step limit must be positive, not " + steps);
        }
        this.stepsLimit = steps;
        return this;
    }

    /**
     * Also measures the validation loss after every {@code steps} minibatches, for loss curves over
     * steps that runs of different speeds share. With checkpoints, a new best is saved in {@code best.zip} there.
     */
    public GeneratorTraining validateEverySteps(int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("The validation interval must be at least 1 step, not " + steps);
        }
        this.validationSteps = steps;
        return this;
    }

    /** Trains without printing: no progress bar and no notice of why training stopped. */
    public GeneratorTraining quietly() {
        return progressTo(new PrintStream(OutputStream.nullOutputStream()));
    }

    /** Where the progress bar goes (System.out by default). */
    GeneratorTraining progressTo(PrintStream out) {
        this.progress = out;
        return this;
    }

    /** Trains and returns the loss history, including that of a resumed checkpoint. */
    public LossHistory run() {
        if (checkpointDir == null) {
            return train();
        }
        requireWritable(checkpointDir);
        try (FolderLock owned = FolderLock.take(checkpointDir)) {
            if (resumedFromEpoch == 0 && step == 0 || holdsLaterCheckpoint()) {
                keepEarlierRunApart();
            }
            return train();
        }
    }

    private LossHistory train() {
        if (validation != null && step == 0 && history.validation().isEmpty()) {
            double untrained = CharLoss.evaluate(network, validation); // where the curve starts
            if (!Double.isFinite(untrained)) {
                throw new IllegalArgumentException("The validation batches give a loss of " + untrained
                        + " before any training; check them for NaN or infinite values.");
            }
            history.addValidation(0, 0, untrained, 0);
        }
        int sinceImprovement = 0;
        for (int epoch = completedEpochs + 1; epoch <= epochs && !stopRequested; epoch++) {
            double trainLoss = trainEpoch(epoch);
            if (!Double.isFinite(network.params().sumNumber().doubleValue())) {
                throw diverged("The network's weights became NaN or infinite in the last update of epoch " + epoch
                        + " (step " + step + ")");
            }
            boolean improved = validation != null
                    && (validatedAt == step ? lastValidationImproved : validate(epoch, "at the end of epoch " + epoch));
            completedEpochs = epoch;
            save(improved);
            sinceImprovement = improved || validation == null ? 0 : sinceImprovement + 1;
            tell(onEpochEnd, event(epoch, trainLoss, lastValidation()),
                    "at the end of epoch " + epoch + ", after step " + step + ".");
            if (sinceImprovement >= patience) {
                progress.println("Stopping: the validation loss has not improved for " + patience + " epochs.");
                break;
            }
            if (limitReached) {
                progress.println(step >= stepsLimit ? "Stopping: the step limit of " + stepsLimit + " is reached."
                        : String.format("Stopping: the time limit of %.0f s is spent (%.1f s of training).",
                        secondsLimit, seconds));
                break;
            }
        }
        return history;
    }

    private double trainEpoch(int epoch) {
        if (train instanceof BatchIterator batches) {
            batches.startPass(epoch); // the order of epoch e is the same whether or not training was resumed
        } else {
            train.reset();
        }
        if (!train.hasNext()) {
            throw new IllegalArgumentException("The training batches are empty: there is nothing to train on in epoch "
                    + epoch + ". Give GeneratorTraining at least one minibatch.");
        }
        long batches = train instanceof BatchIterator b ? b.batchCount() : -1;
        ProgressBar bar = new ProgressBar(progress, String.format("epoch %d/%d", epoch, epochs), batches);
        double epochSum = 0, reportSum = 0;
        int epochBatches = 0, reportBatches = 0;
        double twiceUniform = 2 * Math.log(spec.vocabularySize()); // a loss above it for long means divergence
        while (train.hasNext()) {
            if (Thread.interrupted()) {
                bar.endLine();
                throw interrupted(inEpoch(epoch, epochBatches, batches));
            }
            DataSet batch = train.next();
            long started = System.nanoTime();
            fit(batch);
            seconds += (System.nanoTime() - started) / 1e9;
            double loss = CharLoss.perCharacter(network.score(), batch);
            if (!Double.isFinite(loss)) {
                throw diverged("The training loss became " + loss + " at epoch " + epoch + ", step " + (step + 1));
            }
            aboveTwiceUniform = loss > twiceUniform ? aboveTwiceUniform + 1 : 0;
            if (aboveTwiceUniform >= DIVERGED_AFTER) {
                throw diverged(String.format("The loss has been above %.2f nats per character, twice that of a uniform "
                        + "guess, for %d minibatches in a row (now %.2f, at epoch %d, step %d)",
                        twiceUniform, DIVERGED_AFTER, loss, epoch, step + 1));
            }
            step++;
            epochBatches++;
            reportBatches++;
            epochSum += loss;
            reportSum += loss;
            bar.update(epochBatches, String.format("loss %.3f", epochSum / epochBatches));
            if (reportEvery > 0 && step % reportEvery == 0) {
                history.addTrain(epoch, step, reportSum / reportBatches, seconds);
                bar.endLine();
                tell(onReport, event(epoch, reportSum / reportBatches, lastValidation()),
                        inEpoch(epoch, epochBatches, batches));
                reportSum = 0;
                reportBatches = 0;
            }
            boolean timeToCheck = validationInterval > 0 && seconds >= nextValidation;
            if (validation != null && (timeToCheck || validationSteps > 0 && step % validationSteps == 0)) {
                nextValidation = timeToCheck ? seconds + validationInterval : nextValidation;
                if (validate(epoch, "at step " + step) && checkpointDir != null) {
                    new Checkpoint(network, vocabulary, spec, history, completedEpochs, step).save(checkpointDir.resolve("best.zip"));
                }
            }
            if (seconds >= secondsLimit || step >= stepsLimit) {
                limitReached = true;
                break;
            }
        }
        bar.finish(epochBatches, String.format("loss %.3f", epochSum / epochBatches));
        if (reportBatches > 0) { // the batches since the last report (all of them when there are no reports)
            history.addTrain(epoch, step, reportSum / reportBatches, seconds);
        }
        return epochSum / epochBatches;
    }

    /** One step of training; a minibatch too large for memory is reported as such, with what to do. */
    private void fit(DataSet batch) {
        try {
            network.fit(batch);
        } catch (OutOfMemoryError | RuntimeException e) {
            boolean memory = false;
            for (Throwable cause = e; cause != null; cause = cause.getCause()) { // ND4J's own: "Allocation failed: [...]"
                memory |= cause instanceof OutOfMemoryError || String.valueOf(cause.getMessage()).startsWith("Allocation failed");
            }
            if (!memory) {
                throw e;
            }
            throw new IllegalStateException(String.format("Step %d, a minibatch of %d sequences of %d steps, did not fit in "
                    + "memory (%s). Cut long texts into windows (WindowBatches.perText) or use smaller minibatches; the "
                    + "checkpoints are as they were.", step + 1, batch.getFeatures().size(0), batch.getFeatures().size(2),
                    e.getMessage()), e);
        }
    }

    /** Measures and records the validation loss; true when it is the best so far. */
    private boolean validate(int epoch, String when) {
        double loss = CharLoss.evaluate(network, validation);
        if (!Double.isFinite(loss)) {
            throw diverged("The validation loss became " + loss + " " + when);
        }
        boolean improved = loss < history.bestValidation();
        history.addValidation(epoch, step, loss, seconds);
        validatedAt = step;
        lastValidationImproved = improved;
        return improved;
    }

    private double lastValidation() {
        var points = history.validation();
        return points.isEmpty() ? Double.NaN : points.get(points.size() - 1).loss();
    }

    private TrainingEvent event(int epoch, double trainLoss, double validationLoss) {
        return new TrainingEvent(epoch, step, trainLoss, validationLoss, generator, () -> stopRequested = true);
    }

    private void save(boolean improved) {
        if (checkpointDir == null) {
            return;
        }
        Checkpoint checkpoint = new Checkpoint(network, vocabulary, spec, history, completedEpochs, step);
        if (improved) { // best first: a kill between the two saves then never leaves the best state in last.zip alone
            checkpoint.save(checkpointDir.resolve("best.zip"));
        }
        lastSaved = checkpoint.save(checkpointDir.resolve("last.zip")).toAbsolutePath().normalize();
    }

    /** Runs a callback; ■ while it generates text stops training as ■ between minibatches does. */
    private void tell(Consumer<TrainingEvent> callback, TrainingEvent event, String where) {
        try {
            callback.accept(event);
        } catch (GenerationInterruptedException e) {
            throw interrupted(where);
        }
    }

    private String inEpoch(int epoch, int batch, long batches) {
        return "in epoch " + epoch + " after step " + step + ", with " + batch + (batches > 0 ? " of its " + batches : "")
                + " minibatches done.";
    }

    private TrainingInterruptedException interrupted(String at) {
        String where = "Training was interrupted " + at;
        if (checkpointDir == null) {
            return new TrainingInterruptedException(where + " The network keeps what it learned so far; no checkpoint was kept.");
        }
        if (lastSaved != null) {
            return new TrainingInterruptedException(where + " " + lastSaved + " holds epoch " + completedEpochs
                    + "; GeneratorTraining.resume(Checkpoint.load(...), batches) goes on from there.");
        }
        return new TrainingInterruptedException(where + (resumedFromEpoch > 0
                ? " This run saved no checkpoint yet; the checkpoint it was resumed from holds epoch " + resumedFromEpoch + "."
                : " No epoch was complete, so this run saved no checkpoint."));
    }

    /** A checkpoint folder that cannot be written is reported before training, not after the first epoch. */
    private static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, "write-test", ".tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoints into " + dir.toAbsolutePath() + " (" + e.getClass()
                    .getSimpleName() + ": " + e.getMessage() + "); choose a checkpoint folder you can write to.", e);
        }
    }

    /**
     * A new run never replaces another run's checkpoints: those in the folder are moved into a
     * subfolder named after the time the earlier run last saved.
     */
    /** Whether the folder's last.zip is further on than where this resumed run starts (or cannot be read): it must not be replaced. */
    private boolean holdsLaterCheckpoint() {
        Path last = checkpointDir.resolve("last.zip");
        if (!Files.exists(last)) {
            return false;
        }
        try {
            return Checkpoint.load(last).step() > step;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private void keepEarlierRunApart() {
        List<Path> earlier = Stream.of("best.zip", "last.zip").map(checkpointDir::resolve).filter(Files::exists).toList();
        if (earlier.isEmpty()) {
            return;
        }
        try {
            String when = Files.getLastModifiedTime(earlier.get(earlier.size() - 1)).toInstant()
                    .truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-');
            Path apart = checkpointDir.resolve("earlier-run-" + when);
            for (int n = 2; Files.exists(apart); n++) {
                apart = checkpointDir.resolve("earlier-run-" + when + "-" + n);
            }
            Files.createDirectories(apart);
            for (Path file : earlier) {
                Files.move(file, apart.resolve(file.getFileName()));
            }
            progress.println("The checkpoints of an earlier run in " + checkpointDir + " are now in " + apart
                    + ", so that this run does not replace them.");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move the checkpoints of an earlier run in " + checkpointDir
                    + " aside (" + e.getMessage() + "); choose another checkpoint folder.", e);
        }
    }

    /** Batches encoded with another vocabulary, even one of the same size, would feed the network scrambled symbols. */
    private static void requireEncodedWith(DataSetIterator batches, CharVocabulary vocabulary, String which) {
        if (batches instanceof BatchIterator b && !b.vocabulary().equals(vocabulary)) {
            throw new IllegalArgumentException("The " + which + " batches are encoded with another vocabulary ("
                    + b.vocabulary().size() + " symbols) than the network's (" + vocabulary.size() + " symbols, or the same "
                    + "symbols in another order); make them with the network's vocabulary (a checkpoint's vocabulary()).");
        }
    }

    /** Training diverged: nothing more is saved, and the message names the checkpoint that is still good. */
    private IllegalStateException diverged(String what) {
        String good = lastSaved != null ? lastSaved + " holds epoch " + completedEpochs + ", the last good state."
                : resumedFromEpoch > 0 ? "The checkpoint this run was resumed from holds epoch " + resumedFromEpoch + "."
                : checkpointDir == null ? "No checkpoint was kept." : "This run saved no checkpoint.";
        return new IllegalStateException(what + ": training diverged. " + good + " Lower the learning rate (it is "
                + spec.learningRate() + ") and train again.");
    }

    /** The network being trained. */
    public MultiLayerNetwork network() {
        return network;
    }
}
