package io.github.genrnn;

import java.util.Arrays;
import java.util.Collection;

/**
 * A counting model: the probability of the next symbol from how often it followed the last
 * {@code order - 1} symbols in the training text, with interpolated Witten–Bell smoothing. For a
 * context h seen c(h) times, followed by d(h) distinct symbols, and h' the context one symbol shorter:
 *
 * <pre>
 * P(w | h) = (c(h w) + d(h) · P(w | h')) / (c(h) + d(h))
 * </pre>
 *
 * down to the empty context, whose lower order is the uniform 1/V. The more distinct symbols have
 * followed a context, the more weight the shorter context gets. A context never seen leaves the
 * shorter one's estimate as it is. Symbols are indices 0 to V-1: characters or words alike.
 */
public final class NGramModel implements SymbolModel {
    private final int vocabularySize;
    private final int order;
    private final long[] powers;             // powers[k] = V^k
    private final LongCounts[] joint;        // joint[k]: key of k symbols → count
    private final LongCounts[] contexts;     // contexts[k]: key of the k-1 symbols before → count << 32 | distinct followers

    private NGramModel(int vocabularySize, int order, long[] powers, LongCounts[] joint, LongCounts[] contexts) {
        this.vocabularySize = vocabularySize;
        this.order = order;
        this.powers = powers;
        this.joint = joint;
        this.contexts = contexts;
    }

    /** Counts every n-gram of orders 1 to {@code order} in the symbols. */
    public static NGramModel count(int[] symbols, int vocabularySize, int order) {
        if (order < 1) {
            throw new IllegalArgumentException("The order of an n-gram model is at least 1 (no context), not " + order);
        }
        if (order * (64 - Long.numberOfLeadingZeros(vocabularySize)) > 62) {
            throw new IllegalArgumentException("An n-gram of order " + order + " over " + vocabularySize
                    + " symbols does not fit a 62-bit key; use a lower order or a smaller vocabulary.");
        }
        if (symbols.length == 0) {
            throw new IllegalArgumentException("There are no symbols to count: the text is empty.");
        }
        long[] powers = new long[order + 1];
        powers[0] = 1;
        for (int k = 1; k <= order; k++) {
            powers[k] = powers[k - 1] * vocabularySize;
        }
        LongCounts[] joint = new LongCounts[order + 1], contexts = new LongCounts[order + 1];
        for (int k = 1; k <= order; k++) {
            joint[k] = new LongCounts();
            contexts[k] = new LongCounts();
        }
        for (int i = 0; i < symbols.length; i++) {
            requireSymbol(symbols[i], vocabularySize);
            long context = 0;
            for (int k = 1; k <= order && i - k + 1 >= 0; k++) {
                if (k > 1) {
                    context += symbols[i - k + 1] * powers[k - 2];
                }
                boolean firstTime = joint[k].add(context * vocabularySize + symbols[i], 1) == 1;
                contexts[k].add(context, (1L << 32) + (firstTime ? 1 : 0));
            }
        }
        return new NGramModel(vocabularySize, order, powers, joint, contexts);
    }

    /** The same counts used up to a lower order (at most this one's). */
    public NGramModel withOrder(int lower) {
        if (lower < 1 || lower > order) {
            throw new IllegalArgumentException("Orders 1 to " + order + " were counted, not " + lower);
        }
        return new NGramModel(vocabularySize, lower, powers, joint, contexts);
    }

    /** The n of this n-gram model: the next symbol is predicted from the {@code order - 1} before it. */
    public int order() {
        return order;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    /** How many distinct n-grams of each order, 1 to {@link #order()}, were counted. */
    public int[] distinct() {
        return java.util.stream.IntStream.rangeClosed(1, order).map(k -> joint[k].size()).toArray();
    }

    /** P(symbol | the symbols of {@code text} before position {@code at}). */
    public double probability(int[] text, int at, int symbol) {
        requireSymbol(symbol, vocabularySize);
        double p = 1.0 / vocabularySize;
        long context = 0;
        for (int k = 1; k <= order; k++) {
            if (k > 1) {
                if (at - k + 1 < 0) {
                    break;
                }
                requireSymbol(text[at - k + 1], vocabularySize);
                context += text[at - k + 1] * powers[k - 2];
            }
            long seen = contexts[k].get(context);
            if (seen == 0) {
                break;
            }
            double total = seen >>> 32, followers = seen & 0xFFFFFFFFL;
            p = (joint[k].get(context * vocabularySize + symbol) + followers * p) / (total + followers);
        }
        return p;
    }

    /** The loss in nats, −ln P, of every symbol of the text after the first, each given those before it. */
    public double[] losses(int[] text) {
        double[] losses = new double[Math.max(0, text.length - 1)];
        for (int i = 1; i < text.length; i++) {
            losses[i - 1] = -Math.log(probability(text, i, text[i]));
        }
        return losses;
    }

    /** The mean loss per symbol, in nats, of every symbol of the text after the first. */
    public double meanLoss(int[] text) {
        if (text.length < 2) {
            throw new IllegalArgumentException("Scoring needs a text of at least 2 symbols, not " + text.length);
        }
        return Arrays.stream(losses(text)).average().orElseThrow();
    }

    /**
     * The mean loss per symbol, in nats, over several texts, each scored from its own start as
     * {@link #losses} does: every symbol after a text's first, given only that text's symbols before it.
     */
    public double meanLoss(Collection<int[]> texts) {
        double total = 0;
        long scored = 0;
        for (int[] text : texts) {
            for (double loss : losses(text)) {
                total += loss;
                scored++;
            }
        }
        if (scored == 0) {
            throw new IllegalArgumentException("Scoring needs a text of at least 2 symbols; these " + texts.size()
                    + " texts have none");
        }
        return total / scored;
    }

    @Override
    public State start(int... prompt) {
        return new Context(prompt.clone());
    }

    /** The last symbols read, as many as the model looks at. */
    private final class Context implements State {
        private final int[] recent;

        Context(int[] read) {
            this.recent = Arrays.copyOfRange(read, Math.max(0, read.length - (order - 1)), read.length);
        }

        @Override
        public double[] next() {
            double[] p = new double[vocabularySize];
            for (int w = 0; w < p.length; w++) {
                p[w] = probability(recent, recent.length, w);
            }
            return p;
        }

        @Override
        public State after(int symbol) {
            requireSymbol(symbol, vocabularySize);
            int[] read = Arrays.copyOf(recent, recent.length + 1);
            read[recent.length] = symbol;
            return new Context(read);
        }
    }

    private static void requireSymbol(int symbol, int vocabularySize) {
        if (symbol < 0 || symbol >= vocabularySize) {
            throw new IllegalArgumentException("Symbol " + symbol + " is outside the vocabulary 0.." + (vocabularySize - 1));
        }
    }

    @Override
    public String toString() {
        return order + "-gram model over " + vocabularySize + " symbols";
    }
}
