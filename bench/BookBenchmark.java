import io.github.genrnn.Book;
import io.github.genrnn.BookWords;
import io.github.genrnn.CharLoss;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.GeneratorSpec;
import io.github.genrnn.NGramModel;
import io.github.genrnn.StreamTraining;
import io.github.genrnn.TextLoss;
import io.github.genrnn.TokenVocabulary;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The lab's recipes on a book (its first 90% to train on, the rest held out), scored against the
 * best n-gram on the same targets: the character LSTM and the word LSTM each trained for
 * {@code -Dminutes} of training (10 by default). Prints "engine figure value unit" lines; progress
 * goes to standard error. Run by {@code bench/run --book FILE [--minutes M]}.
 */
public class BookBenchmark {
    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Book book = Book.file(Path.of(args[0]));
        Duration budget = Duration.ofSeconds(Math.round(60 * Double.parseDouble(System.getProperty("minutes", "10"))));
        System.out.println("# " + book + "; " + budget.toSeconds() + " s of training per network");

        CharVocabulary chars = CharVocabulary.fromTexts(List.of(book.text()));
        int[] train = chars.encode(book.training()), held = chars.encode(book.heldOut());
        NGramModel counted = NGramModel.count(train, chars.size(), 8);
        double[] charLoss = IntStream.rangeClosed(1, 8).mapToDouble(k -> counted.withOrder(k).meanLoss(held)).toArray();
        int n = best(charLoss);
        System.out.printf("ngram char_heldout %.3f nats (%d-gram)%n", charLoss[n - 1], n);
        GeneratorSpec charSpec = GeneratorSpec.lstm(chars.size(), 256).withEmbedding(32).withDropout(0.25).withLearningRate(0.003);
        MultiLayerNetwork charNet = charSpec.network();
        StreamTraining charRun = train(StreamTraining.of(charNet, charSpec, train, held).window(64), budget);
        System.out.printf("network char_heldout %.3f nats (LSTM(256), embedding 32, dropout 0.25)%n", TextLoss.mean(charNet, held));
        System.out.printf("network char_steps_per_second %.2f steps%n", charRun.steps() / charRun.seconds());
        System.out.printf("network char_characters_per_second %.0f characters%n", charRun.steps() * 32 * 64 / charRun.seconds());

        List<String> trainTokens = BookWords.tokens(book.training()), heldTokens = BookWords.tokens(book.heldOut());
        TokenVocabulary words = IntStream.of(2, 3, 5, 10).mapToObj(c -> TokenVocabulary.of(trainTokens, c)) // <unk> in training
                .filter(v -> v.size() <= 5_000).findFirst().orElseThrow();
        int[] trainWords = words.encode(trainTokens), heldWords = words.encode(heldTokens);
        NGramModel wordCounts = NGramModel.count(trainWords, words.size(), 4);
        double[] perOrder = IntStream.rangeClosed(1, 4).mapToDouble(k -> words.lossPerCharacter(
                wordCounts.withOrder(k).losses(heldWords), heldTokens, book.heldOut().length())).toArray();
        int wordN = best(perOrder);
        System.out.printf("ngram word_heldout %.3f bits_per_char (%d-gram, %d words seen at least %d times)%n",
                CharLoss.bits(perOrder[wordN - 1]), wordN, words.size(), words.minCount());
        GeneratorSpec wordSpec = GeneratorSpec.lstm(words.size(), 256).withEmbedding(64).withDropout(0.25).withLearningRate(0.003);
        MultiLayerNetwork wordNet = wordSpec.network();
        StreamTraining wordRun = train(StreamTraining.of(wordNet, wordSpec, trainWords, heldWords).window(32), budget);
        double wordLoss = words.lossPerCharacter(TextLoss.perSymbol(wordNet, heldWords), heldTokens, book.heldOut().length());
        System.out.printf("network word_heldout %.3f bits_per_char (LSTM(256), embedding 64, dropout 0.25)%n", CharLoss.bits(wordLoss));
        System.out.printf("network word_steps_per_second %.2f steps%n", wordRun.steps() / wordRun.seconds());
    }

    /** The order (1-based) with the lowest loss. */
    private static int best(double[] lossPerOrder) {
        return IntStream.rangeClosed(1, lossPerOrder.length).boxed()
                .min((a, b) -> Double.compare(lossPerOrder[a - 1], lossPerOrder[b - 1])).orElseThrow();
    }

    private static StreamTraining train(StreamTraining training, Duration budget) {
        PrintStream progress = Boolean.getBoolean("quiet") ? new PrintStream(OutputStream.nullOutputStream()) : System.err;
        training.batch(32).timeLimit(budget).validateEvery(budget.dividedBy(10)).learningRateDecay(0.95).progressTo(progress).run();
        return training;
    }
}
