package io.github.genrnn;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains a generator on one long text (a book, as symbol indices) for a time budget, the way
 * char-rnn does: the text is cut into {@code batch} parallel streams and read in consecutive windows
 * of {@code window} symbols, each minibatch one window of every stream. With {@link #stateful} (the
 * default) the state of the LSTM or GRU layers at the end of a window is where the next window starts, so the network
 * sees far more context than one window while backpropagation stops at the window's start
 * (truncated backpropagation through time); the state is reset at each pass over the text, which
 * starts at a new random offset. {@link #shuffledWindows} instead trains on windows in random order,
 * each from a zero state.
 *
 * <p>Every {@link #validateEvery} seconds of training the loss on the held-out text is measured
 * ({@link TextLoss}); the best weights are kept, saved to the checkpoint file if one is given, and
 * put back into the network when training ends — by the time budget, or by an interrupt (■).
 */
public final class StreamTraining {
    private final MultiLayerNetwork network;
    private final GeneratorSpec spec;
    private final int[] text;
    private final int[] heldOut;
    private int batch = 32;
    private int window = 64;
    private boolean stateful = true;
    private double seconds;
    private double secondsLimit = 60;
    private long stepLimit = Long.MAX_VALUE;
    private double validationInterval = 10;
    private double learningRateDecay = 1;
    private double learningRate;
    private Path checkpoint;
    private PrintStream out = System.out;
    private final LossHistory history = new LossHistory();
    private INDArray best;
    private long bestStep;
    private long step;
    private int pass;

    private StreamTraining(MultiLayerNetwork network, GeneratorSpec spec, int[] text, int[] heldOut) {
        spec.requireDescribes(network);
        this.network = network;
        this.spec = spec;
        this.text = text;
        this.heldOut = heldOut;
        this.learningRate = spec.learningRate();
    }

    /** Training of the network (built from the spec) on the text, scored on the held-out text. */
    public static StreamTraining of(MultiLayerNetwork network, GeneratorSpec spec, int[] text, int[] heldOut) {
        return new StreamTraining(network, spec, text, heldOut);
    }

    /** How many streams are read side by side: the minibatch size (32 by default). */
    public StreamTraining batch(int streams) {
        BatchIterator.requirePositive(streams, "The batch size");
        this.batch = streams;
        return this;
    }

    /** How many symbols each minibatch reads per stream: how far back gradients reach (64 by default). */
    public StreamTraining window(int symbols) {
        if (symbols < 2) {
            throw new IllegalArgumentException("A window needs at least 2 symbols, not " + symbols);
        }
        this.window = symbols;
        return this;
    }

    /** Each window starts from the state the previous window of its stream ended in (the default). */
    public StreamTraining stateful() {
        this.stateful = true;
        return this;
    }

    /** Windows in a new random order every pass, each from a zero state. */
    public StreamTraining shuffledWindows() {
        this.stateful = false;
        return this;
    }

    /** The training time to spend, counting minibatches only (60 s by default). */
    public StreamTraining timeLimit(Duration limit) {
        this.secondsLimit = positiveSeconds(limit, "time limit");
        return this;
    }

    /** Also stops after this many minibatches, for comparisons at equal steps. */
    public StreamTraining stepLimit(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("The step limit must be at least 1, not " + steps);
        }
        this.stepLimit = steps;
        return this;
    }

    /** How often the held-out loss is measured, in seconds of training (10 s by default). */
    public StreamTraining validateEvery(Duration interval) {
        this.validationInterval = positiveSeconds(interval, "validation interval");
        return this;
    }

    /** Multiplies Adam's learning rate by this factor after every pass over the text (1: constant, the default). */
    public StreamTraining learningRateDecay(double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("The learning-rate decay is a factor in (0, 1], not " + factor);
        }
        this.learningRateDecay = factor;
        return this;
    }

    /** Saves the best network here (atomically) whenever the held-out loss improves. */
    public StreamTraining checkpoint(Path file) {
        this.checkpoint = file;
        return this;
    }

    /** Where progress goes (System.out by default). */
    public StreamTraining progressTo(PrintStream stream) {
        this.out = stream;
        return this;
    }

    /**
     * Trains until the time limit is spent; returns the history (training loss per report, held-out
     * loss per validation). The network ends with its best weights.
     */
    public LossHistory run() {
        int streamLength = (text.length - 1) / batch;
        if (streamLength < 2 * window) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "The text's %,d symbols make %d streams of %,d, fewer than "
                    + "two windows of %d each; use a smaller batch or window, or a longer text.", text.length, batch, streamLength, window));
        }
        validate();
        double nextValidation = validationInterval;
        Random random = new Random(1); // the passes' offsets and window orders
        try {
            List<Map<String, INDArray>> states = stateful ? carriedStates() : List.of();
            while (!spent()) {
                pass++;
                int offset = random.nextInt(window);
                int windows = (streamLength - offset - 1) / window;
                long[] order = windowOrder(windows, streamLength, offset, random);
                states.forEach(Map::clear);
                ProgressBar bar = new ProgressBar(out, String.format(Locale.ROOT, "pass %d", pass), windows);
                double sum = 0;
                int done = 0;
                for (int w = 0; w < windows && !spent(); w++) {
                    if (Thread.interrupted()) {
                        bar.endLine();
                        throw interrupted();
                    }
                    sum += fit(minibatch(order, w));
                    done++;
                    bar.update(done, String.format(Locale.ROOT, "loss %.3f, %.0f s", sum / done, seconds));
                    if (seconds >= nextValidation) {
                        nextValidation += validationInterval;
                        history.addTrain(pass, step, sum / done, seconds);
                        bar.endLine();
                        validate();
                    }
                }
                bar.finish(done, String.format(Locale.ROOT, "loss %.3f, %.0f s", sum / Math.max(1, done), seconds));
                learningRate *= learningRateDecay;
                network.setLearningRate(learningRate);
            }
            if (history.validation().get(history.validation().size() - 1).step() != step) {
                validate();
            }
        } finally {
            stopCarrying();
            if (best != null) {
                network.setParams(best);
            }
        }
        out.printf(Locale.ROOT, "Spent %.0f s of training in %d steps (%.1f steps/s); best held-out loss %.3f nats per symbol "
                + "at step %d, now in the network.%n", seconds, step, step / seconds, history.bestValidation(), bestStep);
        return history;
    }

    private boolean spent() {
        return seconds >= secondsLimit || step >= stepLimit;
    }

    /** One state map per recurrent layer, which the layer carries from minibatch to minibatch. */
    private List<Map<String, INDArray>> carriedStates() {
        List<Map<String, INDArray>> states = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            if (layer instanceof GatedLayer<?> recurrent) {
                Map<String, INDArray> state = new HashMap<>();
                recurrent.carry(state);
                states.add(state);
            }
        }
        return states;
    }

    private void stopCarrying() {
        for (Layer layer : network.getLayers()) {
            if (layer instanceof GatedLayer<?> recurrent) {
                recurrent.carry(null);
            }
        }
    }

    /**
     * Where the windows of one pass start, {@code batch} per minibatch: stateful, minibatch w holds
     * window w of every stream, in stream order; shuffled, any {@code batch} windows.
     */
    private long[] windowOrder(int windows, int streamLength, int offset, Random random) {
        long[] starts = new long[windows * batch];
        for (int s = 0; s < batch; s++) {
            for (int w = 0; w < windows; w++) {
                starts[w * batch + s] = (long) s * streamLength + offset + (long) w * window;
            }
        }
        if (!stateful) {
            for (int i = starts.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = starts[i];
                starts[i] = starts[j];
                starts[j] = t;
            }
        }
        return starts;
    }

    private DataSet minibatch(long[] starts, int index) {
        int[][] inputs = new int[batch][], targets = new int[batch][];
        for (int s = 0; s < batch; s++) {
            int start = (int) starts[index * batch + s];
            inputs[s] = Arrays.copyOfRange(text, start, start + window);
            targets[s] = Arrays.copyOfRange(text, start + 1, start + window + 1);
        }
        return SequenceBatch.of(inputs, targets, spec.vocabularySize(), spec.input());
    }

    private double fit(DataSet minibatch) {
        long started = System.nanoTime();
        network.fit(minibatch);
        seconds += (System.nanoTime() - started) / 1e9;
        step++;
        double loss = CharLoss.perCharacter(network.score(), minibatch);
        // freed now, not when the collector gets to them: a word model's one-hot targets are 6.3 MB a step
        GatedLayer.free(minibatch.getFeatures(), minibatch.getLabels(), minibatch.getFeaturesMaskArray(),
                minibatch.getLabelsMaskArray());
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("The training loss became " + loss + " at step " + step + ": training diverged. "
                    + where() + " Lower the learning rate (it is " + learningRate + ").");
        }
        return loss;
    }

    /** Measures the held-out loss; keeps and saves the weights when it is the best so far. */
    private void validate() {
        double loss = TextLoss.mean(network, heldOut);
        boolean improved = loss < history.bestValidation();
        history.addValidation(step == 0 ? 0 : Math.max(1, pass), step, loss, seconds);
        if (step > 0 && improved) {
            best = network.params().dup();
            bestStep = step;
            save();
        }
        out.printf(Locale.ROOT, "step %d, %.0f s: held-out loss %.3f nats (%.3f bits) per symbol%s%n", step, seconds, loss,
                CharLoss.bits(loss), step > 0 && improved ? ", best so far" : "");
    }

    private void save() {
        if (checkpoint == null) {
            return;
        }
        try {
            AtomicFile.write(checkpoint, partial -> ModelSerializer.writeModel(network, partial.toFile(), false));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the best network to " + checkpoint + " (" + e.getMessage()
                    + "); choose a checkpoint file you can write to.", e);
        }
    }

    private TrainingInterruptedException interrupted() {
        return new TrainingInterruptedException(String.format(Locale.ROOT, "Training was interrupted at step %d, after %.0f s of "
                + "training. %s", step, seconds, where()));
    }

    /** What the network holds once training has stopped. */
    private String where() {
        if (best == null) {
            return "No held-out check since training started has beaten the untrained network, so the network keeps its "
                    + "latest weights.";
        }
        return String.format(Locale.ROOT, "The network now holds its best state (held-out loss %.3f nats at step %d)%s.",
                history.bestValidation(), bestStep, checkpoint == null ? "" : ", saved in " + checkpoint);
    }

    /** Training seconds spent so far (minibatches only). */
    public double seconds() {
        return seconds;
    }

    /** Minibatches trained so far. */
    public long steps() {
        return step;
    }

    private static double positiveSeconds(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("The " + what + " must be positive, not " + d);
        }
        return d.toNanos() / 1e9;
    }
}
