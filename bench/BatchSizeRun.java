import io.github.genrnn.AgNews;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.GeneratorSpec;
import io.github.genrnn.GeneratorTraining;
import io.github.genrnn.LossHistory;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.TitleBatches;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Lesson 4's learner figure for each batch size: LSTM(128) on lesson 4's default-scale titles,
 * trained for the same training time (default 84.5 s, half of the 169 s the throughput issue
 * starts from), with the validation loss measured every 5 s. Prints, per batch size, titles per
 * second, the best validation loss and the training seconds at which it first reached
 * {@code -Dtarget} (2.227 nats) as "engine figure value unit". Run by bench/run --batch-sizes.
 */
public class BatchSizeRun {
    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        double target = Double.parseDouble(System.getProperty("target", "2.227"));
        Duration budget = Duration.ofMillis(Long.getLong("millis", 84_500));
        AgNews news = AgNews.load();
        List<String> titles = news.train().stream().map(NewsArticle::title).limit(30_000).toList();
        CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);
        List<String> heldOut = news.test().stream().map(NewsArticle::title).filter(vocabulary::covers).limit(2_000).toList();
        TitleBatches validation = TitleBatches.of(heldOut, vocabulary, 128).bucketed();
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // the progress bars
        for (String setting : System.getProperty("batches", "32:0.01,64:0.01,128:0.01,128:0.02,256:0.02").split(",")) {
            int batch = Integer.parseInt(setting.split(":")[0]);
            double rate = Double.parseDouble(setting.split(":")[1]);
            GeneratorSpec spec = GeneratorSpec.lstm(vocabulary.size(), 128).withLearningRate(rate);
            LossHistory history = GeneratorTraining.of(spec.network(), vocabulary, spec,
                            TitleBatches.of(titles, vocabulary, batch).shuffled(42).bucketed())
                    .validation(validation).epochs(100_000).timeLimit(budget).validateEvery(Duration.ofSeconds(5))
                    .run();
            LossHistory.Point end = history.validation().get(history.validation().size() - 1);
            String name = "batch_" + batch + "_lr_" + rate;
            out.printf("dl4j %s_titles_per_s %.0f titles/s%n", name, end.step() * (double) titles.size()
                    / Math.ceil(titles.size() / (double) batch) / end.seconds());
            out.printf("dl4j %s_best_validation %.3f nats%n", name, history.bestValidation());
            out.printf("dl4j %s_seconds_to_%.3f %s s%n", name, target, history.validation().stream()
                    .filter(p -> p.epoch() > 0 && p.loss() <= target).findFirst()
                    .map(p -> String.format("%.1f", p.seconds())).orElse("not_reached"));
        }
    }
}
