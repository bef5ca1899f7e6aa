package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordVocabularyTest {
    private final WordVocabulary vocabulary = WordVocabulary.fromTexts(
            List.of("The cat sat.", "the DOG's bone", "A cat, a dog; the end"), 4);

    @Test
    void wordsAreLowerCaseRunsOfLettersAndDigitsWithoutApostrophes() {
        assertEquals(List.of("wall", "st", "s", "q3", "profit", "up", "5", "café", "dont", "its"),
                WordVocabulary.words("Wall St.'s Q3 profit up 5% -- Café don't it’s"));
        assertEquals(List.of(), WordVocabulary.words(" ?! -- "));
    }

    @Test
    void keepsTheCommonestWordsAfterPaddingAndUnknownWithTiesInAlphabeticalOrder() {
        // the 3, cat 2, a 2, dogs 1, dog 1, sat 1, bone 1, end 1: of the words seen twice, "a" comes first
        assertEquals(List.of("the", "a", "cat", "bone"), vocabulary.commonest(10));
        assertEquals(6, vocabulary.size());
        assertEquals(WordVocabulary.PAD_NAME + " " + WordVocabulary.UNKNOWN_NAME,
                vocabulary.decode(new int[] {WordVocabulary.PAD, WordVocabulary.UNKNOWN}));
        assertArrayEquals(new int[] {5}, vocabulary.encode("bone"));
        assertArrayEquals(new int[] {WordVocabulary.UNKNOWN}, vocabulary.encode("sat"));
    }

    @Test
    void unknownWordsBecomeTheUnknownSymbolAndDecodeBack() {
        int[] encoded = vocabulary.encode("The zebra sat on A CAT");
        assertArrayEquals(new int[] {2, 1, 1, 1, 3, 4}, encoded);
        assertEquals("the <unk> <unk> <unk> a cat", vocabulary.decode(encoded));
        assertArrayEquals(new int[] {1, 1, 1}, vocabulary.encode("qwzx vbnq plokm"));
    }

    @Test
    void aTextWithoutWordsIsRefused() {
        for (String text : List.of("", "   ", "?!")) {
            var e = assertThrows(IllegalArgumentException.class, () -> vocabulary.encode(text));
            assertEquals("The text \"" + text + "\" has no words (letters or digits); a classifier needs at least one word to read.",
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> WordVocabulary.fromTexts(List.of("a"), 0));
    }
}
