package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecodingTest {
    /** A Markov chain over 4 symbols: the next symbol's probabilities depend on the last one only. */
    private static final double[][] CHAIN = {
            {0.0, 0.55, 0.45, 0.0},
            {0.1, 0.4, 0.0, 0.5},   // after 1, it loops or goes to 3
            {0.0, 0.0, 0.0, 1.0},   // after 2, always 3
            {0.9, 0.0, 0.0, 0.1}};

    private static final SymbolModel MODEL = new SymbolModel() {
        @Override
        public int vocabularySize() {
            return 4;
        }

        @Override
        public State start(int... prompt) {
            return at(prompt[prompt.length - 1]);
        }

        private State at(int last) {
            return new State() {
                @Override
                public double[] next() {
                    return CHAIN[last].clone();
                }

                @Override
                public State after(int symbol) {
                    return at(symbol);
                }
            };
        }
    };

    @Test
    void greedyTakesTheLikeliestAndBeamSearchFindsTheLikeliestSequence() {
        Decoding writer = new Decoding(MODEL);
        assertArrayEquals(new int[] {1, 3}, writer.greedy(new int[] {0}, 2)); // 0.55 · 0.5 = 0.275
        assertArrayEquals(new int[] {2, 3}, writer.beam(new int[] {0}, 2, 2)); // 0.45 · 1.0 = 0.45
        assertArrayEquals(writer.greedy(new int[] {0}, 5), writer.beam(new int[] {0}, 5, 1));
        int[] best = null;
        double bestP = -1;
        for (int code = 0; code < 4 * 4 * 4; code++) { // every sequence of 3
            int[] s = {code / 16, code / 4 % 4, code % 4};
            double p = CHAIN[0][s[0]] * CHAIN[s[0]][s[1]] * CHAIN[s[1]][s[2]];
            if (p > bestP) {
                bestP = p;
                best = s;
            }
        }
        assertArrayEquals(best, writer.beam(new int[] {0}, 3, 4));
    }

    @Test
    void topKAndNucleusDrawOnlyFromTheKeptSymbols() {
        double[] p = {0.5, 0.3, 0.15, 0.05};
        assertArrayEquals(new double[] {0.625, 0.375, 0, 0}, Decoding.Sampling.topK(2).reshape(p), 1e-12);
        assertArrayEquals(new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0}, Decoding.Sampling.nucleus(0.9).reshape(p), 1e-12);
        double[] cold = Decoding.Sampling.temperature(0.5).reshape(p);
        assertEquals(0.25 / (0.25 + 0.09 + 0.0225 + 0.0025), cold[0], 1e-12);
        int[] counts = new int[4];
        Random random = new Random(3);
        int[] drawn = new Decoding(MODEL).sample(new int[] {1}, 4_000, Decoding.Sampling.topK(1), random);
        Arrays.stream(drawn).forEach(s -> counts[s]++);
        assertEquals(0, counts[2], "top-1 never takes an unlikely symbol");
    }

    @Test
    void forbiddenSymbolsAreNeverWrittenAndFrequenciesFollowTheModel() {
        int[] drawn = new Decoding(MODEL, 2).sample(new int[] {1}, 20_000, Decoding.Sampling.temperature(1), new Random(7));
        assertTrue(Arrays.stream(drawn).noneMatch(s -> s == 2));
        assertThrows(IllegalArgumentException.class, () -> new Decoding(MODEL, 4));
        int afterOne = 0, loops = 0;
        for (int i = 0; i + 1 < drawn.length; i++) {
            if (drawn[i] == 1) {
                afterOne++;
                loops += drawn[i + 1] == 1 ? 1 : 0;
            }
        }
        assertEquals(0.4, loops / (double) afterOne, 0.03, "after 1, symbol 1 with probability 0.4");
    }
}
