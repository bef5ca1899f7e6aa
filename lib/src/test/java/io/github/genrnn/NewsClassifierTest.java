package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NewsClassifierTest {
    /** Four classes, each with its own words, in texts of 2 to 6 words. */
    private static List<NewsArticle> separable(int count) {
        String[][] words = {{"war", "peace", "army"}, {"goal", "team", "match"}, {"stocks", "profit", "bank"},
                {"chip", "software", "space"}};
        List<NewsArticle> articles = new ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < count; i++) {
            int c = i % 4;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 2 + random.nextInt(5); w++) {
                text.append(words[c][random.nextInt(3)]).append(' ');
            }
            articles.add(new NewsArticle(c + 1, text.toString(), ""));
        }
        return articles;
    }

    @Test
    void parametersAreTheLessonsFormulas() {
        int v = 1000;
        assertEquals(v * 64 + 16 * (64 + 16 + 1) + 16 * 4 + 4, ClassifierSpec.simpleRnn(v).network().numParams());
        assertEquals(v * 64 + 4 * 8 * (64 + 8 + 1) + 8 * 4 + 4, ClassifierSpec.lstm(v).network().numParams());
        assertEquals(v * 128 + 2 * 2 * 4 * 64 * (128 + 64 + 1) + 128 * 4 + 4,
                ClassifierSpec.bidirectionalLstm(v).network().numParams());
        assertEquals("2×bidirectional LSTM(64)", ClassifierSpec.bidirectionalLstm(v).name());
        assertThrows(IllegalArgumentException.class, () -> new ClassifierSpec(ClassifierSpec.Kind.LSTM, v, 64, 0, 42));
    }

    @Test
    void eachNetworkLearnsWordsThatGiveAwayTheClass() {
        List<NewsArticle> articles = separable(160);
        WordVocabulary vocabulary = WordVocabulary.fromTexts(articles.stream().map(NewsArticle::title).toList(), 100);
        var batches = NewsBatches.of(articles, NewsArticle::title, vocabulary, 16).shuffled(1).bucketed();
        for (ClassifierSpec spec : List.of(ClassifierSpec.simpleRnn(vocabulary.size()), ClassifierSpec.lstm(vocabulary.size()),
                ClassifierSpec.bidirectionalLstm(vocabulary.size()))) {
            NewsClassifier classifier = new NewsClassifier(spec, vocabulary).train(batches, Duration.ofSeconds(6));
            ConfusionMatrix matrix = classifier.evaluate(NewsBatches.of(separable(80), NewsArticle::title, vocabulary, 32));
            assertEquals(80, matrix.total());
            assertTrue(matrix.accuracy() > 0.85, spec.name() + ": " + matrix.accuracy() + " after " + classifier.steps() + " steps");
            assertEquals("Sports", classifier.classify("the team scored a goal in the match"), spec.name());
            assertTrue(classifier.seconds() >= 6 && classifier.steps() > 0);
            assertEquals((double) classifier.steps() / batches.batchCount(), classifier.epochs(batches), 1e-12);
        }
    }

    @Test
    void textsOfUnknownWordsOnlyGetOneAnswerPerLengthAndEmptyTextsAreRefused() {
        WordVocabulary vocabulary = WordVocabulary.fromTexts(List.of("war and peace"), 10);
        NewsClassifier classifier = new NewsClassifier(ClassifierSpec.lstm(vocabulary.size()), vocabulary);
        assertArrayEquals(classifier.probabilities("qwzx vbnq"), classifier.probabilities("zzyzx blorft"), 0);
        assertEquals(1, java.util.Arrays.stream(classifier.probabilities("qwzx")).sum(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> classifier.classify(""));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new NewsClassifier(ClassifierSpec.lstm(vocabulary.size() + 1), vocabulary));
        assertEquals("The spec is for 6 words, the vocabulary has 5: build the spec with vocabulary.size().", e.getMessage());
    }

    @Test
    void anInterruptStopsTrainingAfterTheCurrentMinibatchAndKeepsWhatWasLearned() {
        List<NewsArticle> articles = separable(64);
        WordVocabulary vocabulary = WordVocabulary.fromTexts(articles.stream().map(NewsArticle::title).toList(), 100);
        var batches = NewsBatches.of(articles, NewsArticle::title, vocabulary, 16);
        NewsClassifier classifier = new NewsClassifier(ClassifierSpec.simpleRnn(vocabulary.size()), vocabulary);
        var before = classifier.network().params().dup();
        Thread.currentThread().interrupt();
        var e = assertThrows(IllegalStateException.class, () -> classifier.train(batches, Duration.ofMinutes(10)));
        assertTrue(Thread.interrupted());
        assertEquals("Training was interrupted after 1 steps (0.25 epochs); the classifier keeps what it learned "
                + "and can be evaluated or trained on.", e.getMessage());
        assertEquals(1, classifier.steps());
        assertTrue(!before.equals(classifier.network().params()));
    }

    @Test
    void theConfusionMatrixCountsPairsAndGivesTheAccuracyTableAndChart() {
        ConfusionMatrix m = new ConfusionMatrix();
        m.add(0, 0);
        m.add(0, 3);
        m.add(1, 1);
        m.add(3, 3);
        assertEquals(4, m.total());
        assertEquals(0.75, m.accuracy(), 1e-12);
        assertEquals(1, m.count(0, 3));
        var table = m.table();
        assertEquals(List.of("actual", "World", "Sports", "Business", "Sci/Tech"), table.columnNames());
        assertEquals(1, table.intColumn("Sci/Tech").get(0));
        assertTrue(m.chart("t").getWidth() > 0);
    }
}
