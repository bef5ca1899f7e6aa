package io.github.genrnn;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The loss per character measured during training, on training and on validation batches. */
public final class LossHistory {
    /**
     * One measurement: after {@code step} minibatches and {@code seconds} of training, in epoch
     * {@code epoch} (0: before training), the loss in nats per character. Histories saved before
     * seconds were kept have NaN there.
     */
    public record Point(int epoch, long step, double loss, double seconds) {
    }

    private static final String HEADER = "set,epoch,step,loss,seconds";
    private static final String HEADER_WITHOUT_SECONDS = "set,epoch,step,loss";
    private final List<Point> train = new ArrayList<>();
    private final List<Point> validation = new ArrayList<>();

    void addTrain(int epoch, long step, double loss, double seconds) {
        train.add(new Point(epoch, step, loss, seconds));
    }

    void addValidation(int epoch, long step, double loss, double seconds) {
        validation.add(new Point(epoch, step, loss, seconds));
    }

    public List<Point> train() {
        return Collections.unmodifiableList(train);
    }

    public List<Point> validation() {
        return Collections.unmodifiableList(validation);
    }

    /** The lowest validation loss at the end of an epoch so far (not the untrained one of epoch 0), or +∞ when there is none. */
    public double bestValidation() {
        return validation.stream().filter(p -> p.epoch() > 0).mapToDouble(Point::loss).min().orElse(Double.POSITIVE_INFINITY);
    }

    /** The training time of the latest measurement, 0 when there is none or it was saved without one. */
    double trainingSeconds() {
        return Stream.concat(train.stream(), validation.stream()).mapToDouble(Point::seconds)
                .filter(Double::isFinite).max().orElse(0);
    }

    /**
     * The loss curves, training and validation, against the minibatch step, with the loss of a
     * uniform guess over the vocabulary, ln V, where an untrained network starts.
     */
    public BufferedImage chart(int vocabularySize) {
        return chart(vocabularySize, Map.of());
    }

    /** The loss curves as {@link #chart(int)} draws them, with each named baseline loss as a flat line too. */
    public BufferedImage chart(int vocabularySize, Map<String, Double> baselines) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("training", xy(train));
        if (!validation.isEmpty()) {
            series.put("validation", xy(validation));
        }
        double lastStep = Math.max(1, train.isEmpty() ? 0 : train.get(train.size() - 1).step());
        Map<String, Double> flat = new LinkedHashMap<>();
        flat.put("uniform guess (ln V)", Math.log(vocabularySize));
        flat.putAll(baselines);
        flat.forEach((name, loss) -> series.put(name, new double[][] {{0, lastStep}, {loss, loss}}));
        return Charts.lines("Loss per character", "minibatch step", "cross-entropy (nats per character)", series);
    }

    private static double[][] xy(List<Point> points) {
        return new double[][] {points.stream().mapToDouble(Point::step).toArray(),
                points.stream().mapToDouble(Point::loss).toArray()};
    }

    void write(Writer out) throws IOException {
        out.write(HEADER + "\n");
        for (Point p : train) {
            out.write("train," + p.epoch() + "," + p.step() + "," + p.loss() + "," + p.seconds() + "\n");
        }
        for (Point p : validation) {
            out.write("validation," + p.epoch() + "," + p.step() + "," + p.loss() + "," + p.seconds() + "\n");
        }
        out.flush();
    }

    static LossHistory read(Reader in) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        String header = lines.readLine();
        if (!HEADER.equals(header) && !HEADER_WITHOUT_SECONDS.equals(header)) {
            throw new IOException("Not a loss history: the first line should be '" + HEADER + "'");
        }
        LossHistory history = new LossHistory();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            String[] f = line.split(",");
            Point p = new Point(Integer.parseInt(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]),
                    f.length > 4 ? Double.parseDouble(f[4]) : Double.NaN);
            (f[0].equals("train") ? history.train : history.validation).add(p);
        }
        return history;
    }
}
