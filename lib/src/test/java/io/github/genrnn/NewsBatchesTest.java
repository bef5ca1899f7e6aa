package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class NewsBatchesTest {
    private final List<NewsArticle> articles = List.of(
            new NewsArticle(1, "War ends", "Peace talks"),
            new NewsArticle(2, "Team wins the final match", ""),
            new NewsArticle(3, "Stocks", "Markets rise on profit news"),
            new NewsArticle(4, "New chip is fast", "A faster chip"));
    private final WordVocabulary vocabulary = WordVocabulary.fromTexts(articles.stream().map(NewsArticle::title).toList(), 100);

    @Test
    void featuresAreWordIndicesPaddedWithAMaskAndLabelsAreOneHotClasses() {
        DataSet batch = NewsBatches.of(articles, NewsArticle::title, vocabulary, 4).next();
        assertArrayEquals(new long[] {4, 1, 5}, batch.getFeatures().shape());
        assertArrayEquals(new long[] {4, 4}, batch.getLabels().shape());
        assertArrayEquals(vocabulary.encode("War ends"), new int[] {batch.getFeatures().getInt(0, 0, 0),
                batch.getFeatures().getInt(0, 0, 1)});
        assertEquals(0, batch.getFeatures().getInt(0, 0, 2));
        assertArrayEquals(new int[] {2, 5, 1, 4}, batch.getFeaturesMaskArray().sum(1).toIntVector());
        assertArrayEquals(new int[] {0, 1, 2, 3}, batch.getLabels().argMax(1).toIntVector());
        assertNull(batch.getLabelsMaskArray());
    }

    @Test
    void textsOfOneLengthNeedNoMask() {
        DataSet batch = NewsBatches.batchOf(new int[][] {{2, 3}, {4, 5}}, new int[] {0, 3}, 6);
        assertNull(batch.getFeaturesMaskArray());
    }

    @Test
    void bucketsHoldTextsOfSimilarLengthAndEveryPassHasEveryArticleOnce() {
        List<NewsArticle> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(new NewsArticle(1 + i % 4, "word ".repeat(1 + i * 7 % 23), ""));
        }
        var shuffled = NewsBatches.of(many, NewsArticle::title, vocabulary, 8).shuffled(3);
        var bucketed = shuffled.bucketed();
        assertTrue(bucketed.paddedPositions() * 5 < shuffled.paddedPositions(),
                bucketed.paddedPositions() + " vs " + shuffled.paddedPositions());
        for (int pass = 0; pass < 2; pass++) {
            long texts = 0;
            while (bucketed.hasNext()) {
                texts += bucketed.next().getLabels().size(0);
            }
            assertEquals(200, texts);
            bucketed.reset();
        }
        assertEquals(25, bucketed.batchCount());
        assertEquals(many.stream().mapToLong(a -> WordVocabulary.words(a.title()).size()).sum(), bucketed.words());
    }

    @Test
    void aLabelOutsideOneToFourAndATextWithoutWordsAreRefusedNamingTheArticle() {
        for (int label : new int[] {0, 5, 7, -1}) {
            var e = assertThrows(IllegalArgumentException.class, () -> NewsBatches.of(
                    List.of(articles.get(0), new NewsArticle(label, "Stocks rise", "")), NewsArticle::title, vocabulary, 2));
            assertEquals("The article at position 1 has label " + label
                    + "; AG News labels are 1 to 4 (World, Sports, Business, Sci/Tech).", e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> NewsBatches.of(articles, NewsArticle::description, vocabulary, 2));
        assertEquals("The article at position 1: The text \"\" has no words (letters or digits); "
                + "a classifier needs at least one word to read.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NewsBatches.of(List.of(), NewsArticle::title, vocabulary, 2));
        assertThrows(IllegalArgumentException.class, () -> NewsBatches.of(articles, NewsArticle::title, vocabulary, 0));
    }

    @Test
    void shuffledPassesDifferAndRepeatForTheSameSeed() {
        Set<String> orders = new HashSet<>();
        for (int run = 0; run < 2; run++) {
            var batches = NewsBatches.of(articles, NewsArticle::title, vocabulary, 1).shuffled(11);
            StringBuilder order = new StringBuilder();
            for (int pass = 0; pass < 3; pass++, batches.reset()) {
                while (batches.hasNext()) {
                    order.append(batches.next().getLabels().argMax(1).getInt(0));
                }
                order.append('|');
            }
            orders.add(order.toString());
        }
        assertEquals(1, orders.size());
        String[] passes = orders.iterator().next().split("\\|");
        assertTrue(!passes[0].equals(passes[1]) || !passes[1].equals(passes[2]), String.join(",", passes));
    }
}
