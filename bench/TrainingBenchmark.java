import io.github.genrnn.AgNews;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.GeneratorSpec;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.TextGenerator;
import io.github.genrnn.TitleBatches;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times DL4J on the course's models: seconds per training step (batch 64 of real titles padded
 * per batch, after 10 warm-up steps; 100 steps for LSTM(128), 30 for 2×LSTM(256)), milliseconds per
 * generated character, and one epoch of batching over 120,000 titles. Prints one line per
 * measurement as "name value unit". Run by bench/run.
 */
public class TrainingBenchmark {
    static final int BATCH = 64, WARMUP = 10, STEPS = Integer.getInteger("steps", 100);
    static final boolean BUCKETED = Boolean.getBoolean("bucketed");

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        List<String> titles = AgNews.load().train().stream().map(NewsArticle::title).toList();
        CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);
        System.out.println("# backend " + Nd4j.getBackend().getClass().getSimpleName() + ", "
                + Nd4j.getEnvironment().maxMasterThreads() + " threads, " + titles.size() + " titles, vocabulary " + vocabulary.size());
        List<DataSet> batches = new ArrayList<>();
        var iterator = BUCKETED ? TitleBatches.of(titles, vocabulary, BATCH).shuffled(1).bucketed()
                : TitleBatches.of(titles, vocabulary, BATCH).shuffled(1);
        while (batches.size() < WARMUP + STEPS) {
            if (!iterator.hasNext()) {
                iterator.reset();
            }
            batches.add(iterator.next());
        }
        List<GeneratorSpec> specs = new ArrayList<>(List.of(GeneratorSpec.lstm(vocabulary.size(), 128)));
        if (!Boolean.getBoolean("small")) {
            specs.add(GeneratorSpec.lstm(vocabulary.size(), 256).withLayers(2));
        }
        for (GeneratorSpec spec : specs) {
            String name = spec.layers() + "x" + spec.hiddenSize();
            MultiLayerNetwork net = spec.network();
            for (int i = 0; i < WARMUP; i++) {
                net.fit(batches.get(i));
            }
            int steps = spec.layers() == 1 ? STEPS : Math.max(1, STEPS * 3 / 10);
            long start = System.nanoTime();
            for (int i = WARMUP; i < WARMUP + steps; i++) {
                net.fit(batches.get(i));
            }
            report("train_step_" + name, (System.nanoTime() - start) / 1e9 / steps, "s");
            TextGenerator generator = new TextGenerator(net, vocabulary);
            generator.greedy("Today ", 50);
            int chars = 0;
            start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                chars += generator.sample("Today ", 1.0, 200, new java.util.Random(i)).length() - "Today ".length();
            }
            report("generate_char_" + name, (System.nanoTime() - start) / 1e6 / chars, "ms");
        }
        if (Boolean.getBoolean("small")) {
            return;
        }
        // One epoch of batching over 120,000 titles (the shared rows repeated), building every minibatch.
        List<String> corpus = new ArrayList<>();
        while (corpus.size() < 120_000) {
            corpus.addAll(titles.subList(0, Math.min(titles.size(), 120_000 - corpus.size())));
        }
        long start = System.nanoTime();
        var epoch = TitleBatches.of(corpus, vocabulary, BATCH).shuffled(2);
        long steps = 0;
        while (epoch.hasNext()) {
            epoch.next();
            steps++;
        }
        report("batch_epoch_120k_titles", (System.nanoTime() - start) / 1e9, "s");
        System.gc();
        report("heap_after_epoch", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6, "MB");
        report("peak_rss", peakRssMegabytes(), "MB");
        System.out.println("# " + steps + " minibatches per epoch");
    }

    static void report(String name, double value, String unit) {
        System.out.println(String.format("%s %.4f %s", name, value, unit));
    }

    /** The process's peak resident memory (VmHWM, Linux), off-heap ND4J buffers included. */
    static double peakRssMegabytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
