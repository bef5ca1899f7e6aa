package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class WindowBatchesTest {
    private final List<String> texts = List.of("abcdefgh", "xy", "hgfedcbaabc");
    private final CharVocabulary vocabulary = CharVocabulary.fromTexts(texts);

    private String decodeOneHot(org.nd4j.linalg.api.ndarray.INDArray oneHot, int example) {
        var indices = oneHot.slice(example).argMax(0).toIntVector();
        return vocabulary.decode(indices);
    }

    @Test
    void perTextMakesEverySlidingWindowOfOneTextABatch() {
        WindowBatches batches = WindowBatches.perText(texts, vocabulary, 3);
        assertEquals(1, batches.skippedTexts(), "\"xy\" is shorter than a window and its next character");
        assertEquals(2, batches.batchCount());
        DataSet first = batches.next();
        assertArrayEquals(new long[] {5, vocabulary.size(), 3}, first.getFeatures().shape(), "8 - 3 windows");
        assertEquals("abc", decodeOneHot(first.getFeatures(), 0));
        assertEquals("bcd", decodeOneHot(first.getLabels(), 0));
        assertEquals("efg", decodeOneHot(first.getFeatures(), 4));
        assertEquals("fgh", decodeOneHot(first.getLabels(), 4));
        assertNull(first.getFeaturesMaskArray(), "windows need no padding");
        assertEquals(8, batches.next().numExamples());
        assertEquals(13, batches.windowCount());
    }

    @Test
    void aLimitSplitsALongTextsWindowsIntoMinibatchesInOrder() {
        WindowBatches batches = WindowBatches.perText(texts, vocabulary, 3, 3);
        assertEquals(5, batches.batchCount(), "5 windows as 3 + 2, then 8 as 3 + 3 + 2");
        assertEquals(13, batches.windowCount());
        int[] sizes = new int[5];
        String[] firsts = new String[5];
        for (int i = 0; i < 5; i++) {
            DataSet batch = batches.next();
            sizes[i] = batch.numExamples();
            firsts[i] = decodeOneHot(batch.getFeatures(), 0);
        }
        assertArrayEquals(new int[] {3, 2, 3, 3, 2}, sizes);
        assertArrayEquals(new String[] {"abc", "def", "hgf", "edc", "baa"}, firsts);
        assertThrows(IllegalArgumentException.class, () -> WindowBatches.perText(texts, vocabulary, 3, 0));
    }

    @Test
    void shuffledWindowsMakeEqualBatches() {
        WindowBatches batches = WindowBatches.shuffled(texts, vocabulary, 3, 1, 4, 11);
        assertEquals(13, batches.windowCount());
        assertEquals(4, batches.batchCount());
        int examples = 0;
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            assertTrue(batch.numExamples() == 4 || !batches.hasNext());
            for (int i = 0; i < batch.numExamples(); i++) {
                String in = decodeOneHot(batch.getFeatures(), i);
                String out = decodeOneHot(batch.getLabels(), i);
                assertEquals(in.substring(1), out.substring(0, 2), "the target is the input shifted by one");
            }
            examples += batch.numExamples();
        }
        assertEquals(13, examples);
        assertEquals(7, WindowBatches.shuffled(texts, vocabulary, 3, 2, 4, 11).windowCount(), "stride 2: 3 + 4");
    }

    @Test
    void nextCharWindowsHaveOneLabelEach() {
        WindowBatches batches = WindowBatches.nextChar(List.of("abcdefgh"), vocabulary, 3, 1, 10, 5);
        DataSet batch = batches.next();
        assertArrayEquals(new long[] {5, vocabulary.size(), 3}, batch.getFeatures().shape());
        assertArrayEquals(new long[] {5, vocabulary.size(), 3}, batch.getLabels().shape());
        assertNull(batch.getFeaturesMaskArray());
        assertEquals(Nd4j.createFromArray(new float[][] {{0, 0, 1}, {0, 0, 1}, {0, 0, 1}, {0, 0, 1}, {0, 0, 1}}),
                batch.getLabelsMaskArray());
        assertEquals(5, batch.getLabels().sumNumber().intValue(), "one label per window");
        for (int i = 0; i < 5; i++) {
            String window = decodeOneHot(batch.getFeatures(), i);
            var last = batch.getLabels().get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(2));
            char next = vocabulary.charAt(last.argMax().getInt(0));
            assertEquals("abcdefgh".charAt("abcdefgh".indexOf(window) + 3), next);
        }
    }

    @Test
    void badInputGetsClearErrors() {
        var small = assertThrows(IllegalArgumentException.class, () -> WindowBatches.perText(texts, vocabulary, 1));
        assertTrue(small.getMessage().contains("at least 2"), small.getMessage());
        var tooShort = assertThrows(IllegalArgumentException.class, () -> WindowBatches.perText(List.of("xy"), vocabulary, 5));
        assertTrue(tooShort.getMessage().contains("shorter than one window"), tooShort.getMessage());
        for (int huge : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 1}) {
            var e = assertThrows(IllegalArgumentException.class, () -> WindowBatches.shuffled(texts, vocabulary, huge, 1, 4, 1));
            assertTrue(e.getMessage().contains("shorter than one window of " + huge), e.getMessage());
        }
        var batch = assertThrows(IllegalArgumentException.class, () -> WindowBatches.shuffled(texts, vocabulary, 3, 1, -1, 1));
        assertTrue(batch.getMessage().contains("batch size"), batch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WindowBatches.perText(List.of(), vocabulary, 3));
        var unknown = assertThrows(IllegalArgumentException.class, () -> WindowBatches.perText(List.of("abc!"), vocabulary, 2));
        assertTrue(unknown.getMessage().contains("'!'"), unknown.getMessage());
    }
}
