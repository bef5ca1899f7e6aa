import io.github.genrnn.AgNews;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.GeneratorSpec;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.PlainJavaNetwork;
import io.github.genrnn.TextGenerator;
import io.github.genrnn.TitleBatches;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times DL4J on the course's models: seconds per training step (batch 64 of real titles padded
 * per batch, made one at a time as training makes them; 96 steps after 96 warm-up ones), milliseconds per
 * generated character with DL4J's {@code rnnTimeStep} and with the plain-Java engine, one epoch of
 * batching over 120,000 titles (not with {@code -Dquick=true}), and peak memory. Prints one line
 * per measurement as "engine figure value unit". Run by bench/run.
 */
public class TrainingBenchmark {
    /**
     * Whole passes over the shared 2,000 titles, 32 minibatches each: bucketing sorts them all by length, so both
     * engines time the same minibatches in another order; three passes of warm-up reach the JIT's steady speed.
     */
    static final int BATCH = 64, WARMUP = 96, STEPS = Integer.getInteger("steps", 96), TITLES = 100;
    static final boolean BUCKETED = Boolean.getBoolean("bucketed"), QUICK = Boolean.getBoolean("quick");
    /** Only 2×LSTM(256)'s training step, named {@code train_step_2x256_allcores} (run with every core's native thread). */
    static final boolean ALL_CORES = Boolean.getBoolean("allcores");

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        List<String> titles = AgNews.load().train().stream().map(NewsArticle::title).toList();
        CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);
        System.out.println("# backend " + Nd4j.getBackend().getClass().getSimpleName() + ", "
                + Nd4j.getEnvironment().maxMasterThreads() + " threads, " + titles.size() + " titles, vocabulary " + vocabulary.size());
        List<GeneratorSpec> specs = new ArrayList<>(ALL_CORES ? List.of() : List.of(GeneratorSpec.lstm(vocabulary.size(), 128)));
        if (!Boolean.getBoolean("small")) {
            specs.add(GeneratorSpec.lstm(vocabulary.size(), 256).withLayers(2));
        }
        for (GeneratorSpec spec : specs) {
            String name = spec.layers() + "x" + spec.hiddenSize();
            MultiLayerNetwork net = spec.network();
            double seconds = secondsPerStep(net, minibatches(titles, vocabulary), STEPS);
            report("dl4j", "train_step_" + name + (ALL_CORES ? "_allcores" : ""), seconds, "s");
            if (ALL_CORES) {
                return;
            }
            if (spec.layers() == 1) { // the course's GRU of the same size, on the same batches
                MultiLayerNetwork gru = GeneratorSpec.gru(vocabulary.size(), spec.hiddenSize()).network();
                report("dl4j", "train_step_gru" + spec.hiddenSize(), secondsPerStep(gru, minibatches(titles, vocabulary), STEPS), "s");
            }
            List<String> texts = new ArrayList<>();
            // Plain Java first: ND4J frees the arrays DL4J's generation leaves behind in a background
            // thread, which would compete with the timed loop; a collection before the warm-up starts that work.
            for (TextGenerator.Engine engine : List.of(TextGenerator.Engine.JAVA, TextGenerator.Engine.DL4J)) {
                TextGenerator generator = new TextGenerator(net, vocabulary, engine);
                System.gc();
                for (int i = 0; i < TITLES; i++) {
                    generator.sample("Today ", 1.0, 200, new java.util.Random(-1 - i)); // warm-up
                }
                int chars = 0;
                StringBuilder text = new StringBuilder();
                long start = System.nanoTime();
                for (int i = 0; i < TITLES; i++) {
                    String title = generator.sample("Today ", 1.0, 200, new java.util.Random(i));
                    chars += title.length() - "Today ".length();
                    text.append(title).append('\n');
                }
                report(engine.name().toLowerCase(Locale.ROOT), "generate_char_" + name, (System.nanoTime() - start) / 1e6 / chars, "ms");
                texts.add(text.toString());
            }
            System.out.println("# both engines wrote the same " + name + " titles: " + texts.get(0).equals(texts.get(1)));
            if (!QUICK) {
                report("java", "generate_5000_chars_" + name, secondsFor5000Characters(net, vocabulary), "s");
            }
        }
        if (Boolean.getBoolean("small")) {
            return;
        }
        if (QUICK) {
            report("dl4j", "peak_rss", peakRssMegabytes(), "MB");
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
        report("dl4j", "batch_epoch_120k_titles", (System.nanoTime() - start) / 1e9, "s");
        System.gc();
        report("dl4j", "heap_after_epoch", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6, "MB");
        report("dl4j", "peak_rss", peakRssMegabytes(), "MB");
        System.out.println("# " + steps + " minibatches per epoch");
    }

    /** The benchmark's minibatches, made one at a time as training makes them, over and over. */
    static DataSetIterator minibatches(List<String> titles, CharVocabulary vocabulary) {
        var batches = TitleBatches.of(titles, vocabulary, BATCH).shuffled(1);
        return BUCKETED ? batches.bucketed() : batches;
    }

    /** Mean seconds of {@code net.fit} over {@code steps} minibatches after the warm-up ones; making a minibatch is not timed. */
    static double secondsPerStep(MultiLayerNetwork net, DataSetIterator batches, int steps) {
        long timed = 0;
        for (int i = 0; i < WARMUP + steps; i++) {
            if (!batches.hasNext()) {
                batches.reset();
            }
            DataSet batch = batches.next();
            long start = System.nanoTime();
            net.fit(batch);
            timed += i < WARMUP ? 0 : System.nanoTime() - start;
        }
        return timed / 1e9 / steps;
    }

    /** Seed 004's length: 5,000 characters sampled in one run, on through every {@code <eos>}, by the plain-Java engine. */
    static double secondsFor5000Characters(MultiLayerNetwork net, CharVocabulary vocabulary) {
        java.util.Random random = new java.util.Random(1);
        long start = System.nanoTime();
        PlainJavaNetwork java = PlainJavaNetwork.copyOf(net);
        double[] p = java.feed(vocabulary.encode("Today "));
        for (int i = 0; i < 5000; i++) {
            double u = random.nextDouble() * (1 - p[CharVocabulary.PAD]);
            int next = 1; // padding is never drawn
            while (next < p.length - 1 && (u -= p[next]) >= 0) {
                next++;
            }
            p = java.feed(next);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static void report(String engine, String figure, double value, String unit) {
        System.out.println(String.format("%s %s %.4f %s", engine, figure, value, unit));
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
