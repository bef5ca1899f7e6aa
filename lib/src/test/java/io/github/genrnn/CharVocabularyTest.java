package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharVocabularyTest {
    private final CharVocabulary vocabulary = CharVocabulary.fromTexts(List.of("abba", "cab"));

    @Test
    void paddingFirstThenCharactersByFrequencyThenEos() {
        assertEquals(5, vocabulary.size());
        assertEquals(CharVocabulary.PAD, 0);
        assertEquals("a", vocabulary.symbol(1));  // a: 3 times, b: 3 times, tie broken by code
        assertEquals("b", vocabulary.symbol(2));
        assertEquals("c", vocabulary.symbol(3));
        assertEquals(4, vocabulary.eos());
        assertEquals("<eos>", vocabulary.symbol(4));
        assertEquals("<pad>", vocabulary.symbol(0));
        assertEquals(3, vocabulary.count(1));
    }

    @Test
    void encodeAndDecodeRoundTrip() {
        assertArrayEquals(new int[] {3, 1, 2}, vocabulary.encode("cab"));
        assertEquals("cab", vocabulary.decode(vocabulary.encode("cab")));
        assertEquals("ab", vocabulary.decode(0, 1, 2, 4, 3), "padding is skipped and <eos> ends the text");
    }

    @Test
    void unknownCharactersAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> vocabulary.encode("abz!z"));
        assertTrue(e.getMessage().contains("'!' (U+0021), 'z' (U+007A)"), e.getMessage());
        assertFalse(vocabulary.covers("abz"));
        assertTrue(vocabulary.covers("abc"));
        assertEquals("!z", vocabulary.unknownCharacters("abz!z"));
    }

    @Test
    void anEmptyCorpusIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> CharVocabulary.fromTexts(List.of("", "")));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void savesAndLoads(@TempDir Path dir) throws Exception {
        CharVocabulary spaces = CharVocabulary.fromTexts(List.of("a b\tc\n\"é\""));
        spaces.save(dir.resolve("v.txt"));
        assertEquals(spaces, CharVocabulary.load(dir.resolve("v.txt")));
        var e = assertThrows(java.io.IOException.class, () -> CharVocabulary.read(new StringReader("hello")));
        assertTrue(e.getMessage().contains("Not a character vocabulary"));
        StringWriter text = new StringWriter();
        spaces.write(text);
        assertTrue(text.toString().startsWith("genrnn-char-vocabulary 1\n"));
    }

    @Test
    void frequenciesTableListsEverySymbol() {
        var table = vocabulary.frequencies();
        assertEquals(5, table.rowCount());
        assertEquals("<eos>", table.stringColumn("symbol").get(4));
        assertEquals(3, table.intColumn("count").get(1));
    }

    @Test
    void theSharedTitlesHave81Symbols() {
        // The 2,000 shared training titles use 79 distinct characters; with padding and <eos>
        // that is 81 symbols. The lesson's 84 come from all 120,000 titles (82 characters).
        var titles = SharedData.news().train().stream().map(NewsArticle::title).toList();
        CharVocabulary shared = CharVocabulary.fromTexts(titles);
        assertEquals(81, shared.size());
        assertEquals(" ", shared.symbol(1), "the space is the most frequent character of titles");
    }

    @Test
    void charactersOutsideTheBasicPlaneAreRefusedWithTheirCountAndAWayOut() {
        var refused = assertThrows(IllegalArgumentException.class,
                () -> CharVocabulary.fromTexts(List.of("Stocks up \uD83D\uDE00", "and \uD83D\uDE00 again")));
        assertTrue(refused.getMessage().startsWith("The texts hold 2 characters outside Unicode's Basic Multilingual Plane")
                && refused.getMessage().contains("U+1F600") && refused.getMessage().contains("replaceAll"), refused.getMessage());
        String cleaned = "Stocks up \uD83D\uDE00".replaceAll("[^\\x{0}-\\x{FFFF}]", "");
        assertEquals("Stocks up ", cleaned, "the advice works");
        assertEquals(9 + 2, CharVocabulary.fromTexts(List.of(cleaned)).size(), "and its vocabulary can be built: 9 characters");
    }
}
