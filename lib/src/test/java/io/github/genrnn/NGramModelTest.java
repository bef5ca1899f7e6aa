package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NGramModelTest {

    @Test
    void wittenBellByHandOnATinyText() {
        int[] text = {0, 1, 0, 2, 0, 1}; // a b a c a b over V = 4
        NGramModel bigram = NGramModel.count(text, 4, 2);
        double unigramB = (2 + 3 * 0.25) / (6 + 3);          // c(b) = 2, N = 6, 3 distinct symbols
        double afterA = (2 + 2 * unigramB) / (3 + 2);          // "a" seen 3 times, followed by b twice, 2 distinct followers
        assertEquals(afterA, bigram.probability(new int[] {0}, 1, 1), 1e-12);
        assertEquals(unigramB, bigram.withOrder(1).probability(new int[] {0}, 1, 1), 1e-12);
        double unigramD = (0 + 3 * 0.25) / 9;                  // d never seen: only the uniform share
        assertEquals(unigramD, bigram.probability(new int[] {3}, 1, 3), 1e-12, "an unseen context keeps the shorter estimate");
        assertArrayEquals(new int[] {3, 4}, bigram.distinct()); // a, b, c; ab, ba, ac, ca
    }

    @Test
    void everyDistributionSumsToOne() {
        Random random = new Random(5);
        int[] text = random.ints(3_000, 0, 7).map(s -> s == 6 ? 0 : s).toArray(); // symbol 6 never occurs
        NGramModel model = NGramModel.count(text, 7, 5);
        for (int order = 1; order <= 5; order++) {
            SymbolModel.State state = model.withOrder(order).start(Arrays.copyOf(text, 10));
            for (int step = 0; step < 20; step++) {
                double[] p = state.next();
                assertEquals(1, Arrays.stream(p).sum(), 1e-9);
                assertTrue(p[6] > 0, "an unseen symbol keeps a share of the uniform guess");
                state = state.after(step % 6);
            }
        }
    }

    @Test
    void lossesScoreEverySymbolAfterTheFirstAndFallWithOrderOnRegularText() {
        int[] text = new int[4_000];
        for (int i = 0; i < text.length; i++) {
            text[i] = "abcabdabcabe".charAt(i % 12) - 'a';
        }
        NGramModel model = NGramModel.count(Arrays.copyOf(text, 3_000), 5, 4);
        int[] heldOut = Arrays.copyOfRange(text, 3_000, 4_000);
        assertEquals(999, model.losses(heldOut).length);
        double unigram = model.withOrder(1).meanLoss(heldOut), bigram = model.withOrder(2).meanLoss(heldOut);
        double fourgram = model.meanLoss(heldOut);
        assertTrue(unigram > bigram && bigram > fourgram, unigram + " " + bigram + " " + fourgram);
        assertEquals(-Math.log(model.probability(heldOut, 5, heldOut[5])), model.losses(heldOut)[4], 1e-12);
    }

    @Test
    void severalTextsAreEachScoredFromTheirOwnStart() {
        NGramModel model = NGramModel.count(new int[] {1, 2, 3, 0, 1, 2, 0, 3, 2, 1}, 4, 3);
        int[] first = {1, 2, 3, 0}, second = {3, 2};
        double sum = Arrays.stream(model.losses(first)).sum() + Arrays.stream(model.losses(second)).sum();
        assertEquals(sum / 4, model.meanLoss(List.of(first, second)), 1e-12, "3 + 1 symbols after each text's first");
        assertEquals(model.meanLoss(first), model.meanLoss(List.of(first, new int[] {2})), 1e-12,
                "a text of one symbol has nothing to score");
        assertThrows(IllegalArgumentException.class, () -> model.meanLoss(List.of(new int[] {1})));
    }

    @Test
    void refusesWhatItCannotCount() {
        assertThrows(IllegalArgumentException.class, () -> NGramModel.count(new int[0], 4, 2));
        assertThrows(IllegalArgumentException.class, () -> NGramModel.count(new int[] {4}, 4, 2));
        String message = assertThrows(IllegalArgumentException.class, () -> NGramModel.count(new int[] {1}, 100_000, 4)).getMessage();
        assertTrue(message.contains("does not fit a 62-bit key"), message);
        assertThrows(IllegalArgumentException.class, () -> NGramModel.count(new int[] {1}, 4, 2).withOrder(3));
    }
}
