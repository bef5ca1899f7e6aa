package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceBatchTest {
    @Test
    void anIndexOutsideTheVocabularyIsRefusedInsteadOfLandingInAnotherExample() {
        int[][] inputs = {{1, 2}, {3, 1}};
        var input = assertThrows(IllegalArgumentException.class,
                () -> SequenceBatch.of(new int[][] {{1, 5}, {3, 1}}, inputs, 5, SequenceInput.ONE_HOT));
        assertEquals("Example 0, step 1 has the symbol index 5, outside the vocabulary's 0..4; encode it with the same "
                + "vocabulary.", input.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequenceBatch.of(inputs, new int[][] {{1, 2}, {-1, 1}}, 5,
                SequenceInput.ONE_HOT));
        assertThrows(IllegalArgumentException.class, () -> SequenceBatch.nextChar(inputs, new int[] {1, 7}, 5,
                SequenceInput.INDICES));
        assertEquals(1.0, SequenceBatch.of(inputs, inputs, 5, SequenceInput.ONE_HOT).getLabels().getDouble(1, 3, 0));
    }

    @Test
    void aMinibatchLargerThanAJavaArrayIsRefusedWithAdviceBeforeAnythingIsAllocated() {
        int[][] long40k = {new int[40_000]};                  // 1 × 65,536 × 40,000 = 2.6 billion one-hot values
        var refused = assertThrows(IllegalArgumentException.class,
                () -> SequenceBatch.of(long40k, long40k, 65_536, SequenceInput.ONE_HOT));
        assertTrue(refused.getMessage().contains("2,621,440,000 numbers in one array, more than Java can hold")
                && refused.getMessage().contains("WindowBatches.shuffled"), refused.getMessage());
        assertEquals(40_000, SequenceBatch.features(long40k, 65_536, SequenceInput.INDICES).size(2), "indices fit");
    }
}
