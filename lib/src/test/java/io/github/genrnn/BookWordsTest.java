package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BookWordsTest {

    @Test
    void wordsPunctuationAndParagraphsAreTokens() {
        assertEquals(List.of("“", "Oh", "dear", "!", "”", "said", "Alice’s", "sister", "—", "‘", "don’t", "’", "\n", "Rabbit", "-",
                "Hole", ".", "\""), BookWords.tokens("“Oh dear!” said Alice’s sister—‘don’t’\nRabbit-Hole. \""));
    }

    @Test
    void tokensAreWrittenBackAsTheTextWas() {
        for (String text : List.of("“Oh dear!” said Alice’s sister—‘don’t’\nRabbit-Hole.",
                "He said, \"I am (quite) sure.\" Then: \"No?\" she asked.", "It cost £ 50, or 50%.")) {
            assertEquals(text, BookWords.join(BookWords.tokens(text)));
        }
    }

    @Test
    void bothSharedBooksComeBackNearlyWhole() {
        for (String file : List.of("alice-in-wonderland.txt", "adventures-of-sherlock-holmes.txt")) {
            String[] paragraphs = SharedData.book(file).text().split("\n");
            long same = Arrays.stream(paragraphs).filter(p -> BookWords.join(BookWords.tokens(p)).equals(p)).count();
            assertTrue(same >= 0.98 * paragraphs.length, file + ": " + same + " of " + paragraphs.length);
        }
    }
}
