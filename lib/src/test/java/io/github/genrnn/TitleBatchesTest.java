package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class TitleBatchesTest {
    private final List<String> titles = List.of("Hi", "A much longer title here", "Ok!");
    private final CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);

    /** The symbol at one position of a one-hot [batch, vocabulary, time] array, or -1 where all are 0. */
    private static int symbolAt(INDArray oneHot, int example, int step) {
        INDArray column = oneHot.get(org.nd4j.linalg.indexing.NDArrayIndex.point(example),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(step));
        return column.sumNumber().intValue() == 0 ? -1 : column.argMax().getInt(0);
    }

    @Test
    void shapesArePaddedToTheLongestTitleOfTheBatch() {
        DataSet batch = TitleBatches.of(titles, vocabulary, 3).next();
        int longest = "A much longer title here".length();
        assertArrayEquals(new long[] {3, vocabulary.size(), longest}, batch.getFeatures().shape());
        assertArrayEquals(new long[] {3, vocabulary.size(), longest}, batch.getLabels().shape());
        assertArrayEquals(new long[] {3, longest}, batch.getFeaturesMaskArray().shape());
        assertArrayEquals(new long[] {3, longest}, batch.getLabelsMaskArray().shape());
    }

    @Test
    void targetIsTheInputShiftedByOneEndedWithEos() {
        DataSet batch = TitleBatches.of(titles, vocabulary, 3).next();
        int[] hi = vocabulary.encode("Hi");
        assertEquals(hi[0], symbolAt(batch.getFeatures(), 0, 0));
        assertEquals(hi[1], symbolAt(batch.getFeatures(), 0, 1));
        assertEquals(hi[1], symbolAt(batch.getLabels(), 0, 0), "the target at step 0 is the input at step 1");
        assertEquals(vocabulary.eos(), symbolAt(batch.getLabels(), 0, 1), "<eos> follows the last character");
        assertEquals(-1, symbolAt(batch.getFeatures(), 0, 2), "padding is all zeros");
        int[] ok = vocabulary.encode("Ok!");
        assertEquals(ok[2], symbolAt(batch.getLabels(), 2, 1));
        assertEquals(vocabulary.eos(), symbolAt(batch.getLabels(), 2, 2));
        for (int t = 0; t < 24; t++) {
            int expected = t < 23 ? vocabulary.encode("A much longer title here")[t + 1] : vocabulary.eos();
            assertEquals(expected, symbolAt(batch.getLabels(), 1, t));
        }
    }

    @Test
    void withoutEosTheTargetsAreTheTitlesOwnCharactersOnly() {
        List<String> some = List.of("Hi", "A", "Ok!");
        DataSet batch = TitleBatches.of(some, vocabulary, 3).withoutEos().next();
        assertEquals(2, batch.numExamples(), "a title of one character has nothing to predict");
        assertArrayEquals(new long[] {2, vocabulary.size(), 2}, batch.getLabels().shape());
        int[] hi = vocabulary.encode("Hi"), ok = vocabulary.encode("Ok!");
        assertEquals(hi[0], symbolAt(batch.getFeatures(), 0, 0));
        assertEquals(hi[1], symbolAt(batch.getLabels(), 0, 0));
        assertEquals(-1, symbolAt(batch.getLabels(), 0, 1), "no <eos> after \"Hi\"");
        assertEquals(ok[1], symbolAt(batch.getLabels(), 1, 0));
        assertEquals(ok[2], symbolAt(batch.getLabels(), 1, 1));
        assertEquals(3, CharLoss.predictedCharacters(batch), "H→i, O→k, k→!");
    }

    @Test
    void masksMarkTheRealStepsOfTitlesOfVeryDifferentLengths() {
        DataSet batch = TitleBatches.of(titles, vocabulary, 3).next();
        INDArray mask = batch.getFeaturesMaskArray();
        assertEquals(2, mask.getRow(0).sumNumber().intValue());
        assertEquals(24, mask.getRow(1).sumNumber().intValue());
        assertEquals(3, mask.getRow(2).sumNumber().intValue());
        assertEquals(1.0, mask.getDouble(0, 1));
        assertEquals(0.0, mask.getDouble(0, 2));
        assertEquals(mask, batch.getLabelsMaskArray());
    }

    @Test
    void inputAndTargetOfOneTitle() {
        int[][] pair = TitleBatches.inputAndTarget(new int[] {5, 6, 7}, 9);
        assertArrayEquals(new int[] {5, 6, 7}, pair[0]);
        assertArrayEquals(new int[] {6, 7, 9}, pair[1]);
        assertArrayEquals(new int[] {9}, TitleBatches.inputAndTarget(new int[] {5}, 9)[1]);
    }

    @Test
    void batchesOfEqualLengthsNeedNoMask() {
        DataSet batch = TitleBatches.of(List.of("Hi", "Ok"), CharVocabulary.fromTexts(List.of("HiOk")), 2).next();
        assertNull(batch.getFeaturesMaskArray());
    }

    @Test
    void indicesInputForEmbeddings() {
        DataSet batch = TitleBatches.of(titles, vocabulary, 3).withInput(SequenceInput.INDICES).next();
        assertArrayEquals(new long[] {3, 1, 24}, batch.getFeatures().shape());
        assertEquals(vocabulary.encode("Ok!")[2], batch.getFeatures().getInt(2, 0, 2));
    }

    @Test
    void aPassCoversEveryTitleOnceAndTheLastBatchIsSmaller() {
        TitleBatches batches = TitleBatches.of(titles, vocabulary, 2);
        assertEquals(2, batches.batchCount());
        assertEquals(2, batches.next().numExamples());
        assertEquals(1, batches.next().numExamples());
        assertFalse(batches.hasNext());
        batches.reset();
        assertTrue(batches.hasNext());
    }

    @Test
    void shufflingIsReproducibleWithASeedAndChangesEachPass() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add("t" + "x".repeat(i % 7) + i);
        }
        CharVocabulary v = CharVocabulary.fromTexts(many);
        TitleBatches a = TitleBatches.of(many, v, 8).shuffled(7);
        TitleBatches b = TitleBatches.of(many, v, 8).shuffled(7);
        INDArray first = a.next().getFeatures();
        assertEquals(first, b.next().getFeatures());
        a.reset();
        assertNotEquals(first, a.next().getFeatures(), "a new pass is shuffled anew");
        assertNotEquals(first, TitleBatches.of(many, v, 8).next().getFeatures());
    }

    @Test
    void bucketingReducesPadding() {
        var real = SharedData.news().train().stream().map(NewsArticle::title).toList();
        CharVocabulary v = CharVocabulary.fromTexts(real);
        long plain = TitleBatches.of(real, v, 64).shuffled(1).paddedPositions();
        long bucketed = TitleBatches.of(real, v, 64).shuffled(1).bucketed().paddedPositions();
        assertTrue(bucketed * 3 < plain, plain + " padded positions without buckets, " + bucketed + " with");
    }

    @Test
    void aBatchLargerThanTheTitlesHoldsThemAllEvenAtTheLargestSize() {
        TitleBatches all = TitleBatches.of(titles, vocabulary, Integer.MAX_VALUE).shuffled(1).bucketed();
        assertEquals(1, all.batchCount());
        assertEquals(3, all.next().numExamples());
    }

    @Test
    void badInputGetsClearErrors() {
        var size = assertThrows(IllegalArgumentException.class, () -> TitleBatches.of(titles, vocabulary, 0));
        assertTrue(size.getMessage().contains("batch size must be at least 1"), size.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> TitleBatches.of(List.of(), vocabulary, 4));
        assertTrue(empty.getMessage().contains("corpus is empty"), empty.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> TitleBatches.of(List.of("Hi", "Zz"), vocabulary, 4));
        assertTrue(unknown.getMessage().contains("position 1") && unknown.getMessage().contains("'Z'"), unknown.getMessage());
        var blank = assertThrows(IllegalArgumentException.class, () -> TitleBatches.of(List.of("Hi", ""), vocabulary, 4));
        assertTrue(blank.getMessage().contains("empty"), blank.getMessage());
    }
}
