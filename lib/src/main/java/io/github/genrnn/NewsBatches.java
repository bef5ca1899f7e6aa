package io.github.genrnn;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minibatches for classifying news: each article's text as word indices, features
 * [batch, 1, time] for an embedding layer, padded to the batch's longest text, a features mask
 * [batch, time] (1 for words, 0 for padding) when the texts differ in length, and labels
 * [batch, 4], one-hot of the class (label 1 → column 0). Texts are kept as indices; each batch
 * is built when it is asked for.
 *
 * <pre>{@code
 * var batches = NewsBatches.of(articles, NewsArticle::title, vocabulary, 16).shuffled(1).bucketed();
 * }</pre>
 */
public final class NewsBatches extends PlannedBatches {
    private final int[][] texts;
    private final int[] classes;
    private final WordVocabulary vocabulary;
    private final int batchSize;
    private final Long seed;
    private final boolean bucketed;
    private int[][] plan;

    private NewsBatches(int[][] texts, int[] classes, WordVocabulary vocabulary, int batchSize, Long seed, boolean bucketed) {
        this.texts = texts;
        this.classes = classes;
        this.vocabulary = vocabulary;
        this.batchSize = batchSize;
        this.seed = seed;
        this.bucketed = bucketed;
    }

    /**
     * Batches of {@code batchSize} articles in their given order, each read as {@code text(article)}.
     * An article whose text has no words, or whose label is not 1 to 4, is refused, naming it.
     */
    public static NewsBatches of(List<NewsArticle> articles, Function<NewsArticle, String> text, WordVocabulary vocabulary,
                                 int batchSize) {
        requirePositive(batchSize, "The batch size");
        if (articles.isEmpty()) {
            throw new IllegalArgumentException("There are no articles to make batches from.");
        }
        int[][] texts = new int[articles.size()][];
        int[] classes = new int[articles.size()];
        for (int i = 0; i < texts.length; i++) {
            NewsArticle article = articles.get(i);
            if (article.label() < 1 || article.label() > NewsArticle.CLASSES.length) {
                throw new IllegalArgumentException("The article at position " + i + " has label " + article.label()
                        + "; AG News labels are 1 to 4 (World, Sports, Business, Sci/Tech).");
            }
            try {
                texts[i] = vocabulary.encode(text.apply(article));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The article at position " + i + ": " + e.getMessage(), e);
            }
            classes[i] = article.label() - 1;
        }
        return new NewsBatches(texts, classes, vocabulary, batchSize, null, false);
    }

    /** The same articles, shuffled again at every pass, reproducibly for a given seed. */
    public NewsBatches shuffled(long seed) {
        return new NewsBatches(texts, classes, vocabulary, batchSize, seed, bucketed);
    }

    /** The same articles, batched with texts of similar length so that batches need less padding. */
    public NewsBatches bucketed() {
        return new NewsBatches(texts, classes, vocabulary, batchSize, seed, true);
    }

    /** One minibatch of encoded texts and their classes (0 to 3), in the layout described above. */
    public static DataSet batchOf(int[][] texts, int[] classes, int vocabularySize) {
        INDArray features = SequenceBatch.features(texts, vocabularySize, SequenceInput.INDICES);
        int batch = texts.length, time = (int) features.size(2);
        float[] mask = new float[batch * time];
        float[] labels = new float[batch * NewsArticle.CLASSES.length];
        for (int b = 0; b < batch; b++) {
            Arrays.fill(mask, b * time, b * time + texts[b].length, 1);
            labels[b * NewsArticle.CLASSES.length + classes[b]] = 1;
        }
        INDArray l = Nd4j.create(labels, new long[] {batch, NewsArticle.CLASSES.length}, 'c');
        boolean ragged = Arrays.stream(texts).anyMatch(t -> t.length != time);
        return ragged ? new DataSet(features, l, Nd4j.create(mask, new long[] {batch, time}, 'c'), null) : new DataSet(features, l);
    }

    @Override
    protected int plan(int pass) {
        plan = batchesOf(lengths(), batchSize, seed, pass, bucketed);
        return plan.length;
    }

    private int[] lengths() {
        return Arrays.stream(texts).mapToInt(t -> t.length).toArray();
    }

    @Override
    protected DataSet build(int index) {
        int[] members = plan[index];
        return batchOf(Arrays.stream(members).mapToObj(i -> texts[i]).toArray(int[][]::new),
                Arrays.stream(members).map(i -> classes[i]).toArray(), vocabulary.size());
    }

    /** The number of padded (masked) positions in the first pass, to compare batching strategies. */
    public long paddedPositions() {
        return paddingOf(lengths(), batchSize, seed, bucketed);
    }

    /** The number of words in all texts (unknown words included). */
    public long words() {
        return Arrays.stream(texts).mapToLong(t -> t.length).sum();
    }

    @Override
    public int inputColumns() {
        return 1;
    }

    @Override
    public int totalOutcomes() {
        return NewsArticle.CLASSES.length;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public List<String> getLabels() {
        return List.of(NewsArticle.CLASSES);
    }
}
