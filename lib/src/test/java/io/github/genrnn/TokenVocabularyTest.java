package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenVocabularyTest {
    private static final List<String> TRAINING = BookWords.tokens("the cat sat . the dog sat . a cat ran .");

    @Test
    void keepsTokensAtTheCutOffCommonestFirst() {
        TokenVocabulary all = TokenVocabulary.of(TRAINING, 1), common = TokenVocabulary.of(TRAINING, 2);
        assertEquals(8, all.size());
        assertEquals(List.of("<unk>", ".", "cat", "sat", "the"), common.decode(0, 1, 2, 3, 4));
        assertEquals(5, common.size());
        assertArrayEquals(new int[] {4, 2, 0, 0}, common.encode(List.of("the", "cat", "ran", "zebra")));
        assertEquals(0.5, common.unknownShare(List.of("the", "cat", "ran", "zebra")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TokenVocabulary.of(TRAINING, 4)).getMessage()
                .contains("lower the cut-off"));
    }

    @Test
    void anUnknownWordPaysForItsSpelling() {
        TokenVocabulary common = TokenVocabulary.of(TRAINING, 2);
        double spelled = common.spellingLoss("ran");
        assertTrue(spelled > 3 * Math.log(2) && common.spellingLoss("zzzzz") > spelled);
        List<String> text = List.of("the", "cat", "ran");
        double[] losses = {1.0, 2.0};
        assertEquals((3.0 + spelled) / 10, common.lossPerCharacter(losses, text, 11), 1e-12);
    }
}
