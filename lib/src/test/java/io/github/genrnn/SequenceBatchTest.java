package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
