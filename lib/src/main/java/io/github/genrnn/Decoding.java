package io.github.genrnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Writes with any {@link SymbolModel}: greedily, by sampling (with a temperature, from the top k
 * symbols, or from the nucleus of top probability p), or by beam search. Symbols the writer must
 * never produce (padding, {@code <unk>}) get probability 0 before any choice.
 *
 * <pre>{@code
 * Decoding writer = new Decoding(new NetworkModel(network), TokenVocabulary.UNKNOWN);
 * int[] words = writer.sample(prompt, 50, Decoding.Sampling.nucleus(0.9), new Random(1));
 * }</pre>
 */
public final class Decoding {
    private final SymbolModel model;
    private final int[] forbidden;

    /**
     * How a distribution is reshaped before a draw: temperature T gives p^(1/T) normalised; top-k keeps
     * the k likeliest symbols; top-p keeps the fewest likeliest symbols whose probabilities add up to p.
     */
    public record Sampling(double temperature, int topK, double topP) {
        public Sampling {
            TextGenerator.requireTemperature(temperature);
            if (topK < 1) {
                throw new IllegalArgumentException("Top-k sampling keeps at least 1 symbol, not " + topK);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("Nucleus sampling keeps a share of probability in (0, 1], not " + topP);
            }
        }

        /** Every symbol, at temperature T. */
        public static Sampling temperature(double t) {
            return new Sampling(t, Integer.MAX_VALUE, 1);
        }

        /** Only the k likeliest symbols, at temperature 1. */
        public static Sampling topK(int k) {
            return new Sampling(1, k, 1);
        }

        /** Only the likeliest symbols that make up probability p, at temperature 1. */
        public static Sampling nucleus(double p) {
            return new Sampling(1, Integer.MAX_VALUE, p);
        }

        /** The distribution reshaped: temperature first, then the top-k and top-p cuts, normalised. */
        public double[] reshape(double[] p) {
            double[] q = temperature == 1 ? p.clone() : TextGenerator.withTemperature(p, temperature);
            Integer[] order = IntStream.range(0, q.length).boxed().sorted(Comparator.comparingDouble(i -> -q[i])).toArray(Integer[]::new);
            double total = Arrays.stream(q).sum(), kept = 0;
            for (int rank = 0; rank < order.length; rank++) {
                if (rank >= topK || topP < 1 && kept >= topP * total) {
                    q[order[rank]] = 0;
                } else {
                    kept += q[order[rank]];
                }
            }
            double sum = Arrays.stream(q).sum();
            for (int i = 0; i < q.length; i++) {
                q[i] /= sum;
            }
            return q;
        }
    }

    /** A writer with the model that never writes the forbidden symbols. */
    public Decoding(SymbolModel model, int... forbidden) {
        for (int symbol : forbidden) {
            if (symbol < 0 || symbol >= model.vocabularySize()) {
                throw new IllegalArgumentException("The forbidden symbol " + symbol + " is outside the model's vocabulary 0.."
                        + (model.vocabularySize() - 1));
            }
        }
        this.model = model;
        this.forbidden = forbidden.clone();
    }

    /** The likeliest symbol at every step. */
    public int[] greedy(int[] prompt, int length) {
        return write(prompt, length, TextGenerator::argmax);
    }

    /** Symbols drawn one by one from the reshaped distribution. */
    public int[] sample(int[] prompt, int length, Sampling sampling, Random random) {
        return write(prompt, length, p -> TextGenerator.draw(sampling.reshape(p), random));
    }

    private interface Chooser {
        int choose(double[] probabilities);
    }

    private int[] write(int[] prompt, int length, Chooser chooser) {
        requireLength(length);
        int[] written = new int[length];
        SymbolModel.State state = model.start(prompt);
        for (int i = 0; i < length; i++) {
            TextGenerator.requireNotInterrupted(i);
            written[i] = chooser.choose(allowed(state.next()));
            state = state.after(written[i]);
        }
        return written;
    }

    /**
     * Beam search: the {@code width} likeliest continuations so far are kept at every step, each
     * extended by its {@code width} likeliest next symbols; the likeliest of {@code length} symbols
     * in all is returned. Width 1 is greedy decoding.
     */
    public int[] beam(int[] prompt, int length, int width) {
        requireLength(length);
        if (width < 1) {
            throw new IllegalArgumentException("A beam holds at least 1 continuation, not " + width);
        }
        record Beam(int[] symbols, double logProbability, SymbolModel.State state) {
        }
        List<Beam> beams = List.of(new Beam(new int[0], 0, model.start(prompt)));
        for (int step = 0; step < length; step++) {
            TextGenerator.requireNotInterrupted(step);
            List<Beam> candidates = new ArrayList<>();
            for (Beam beam : beams) {
                double[] p = allowed(beam.state().next());
                int[] best = IntStream.range(0, p.length).filter(i -> p[i] > 0).boxed()
                        .sorted(Comparator.comparingDouble(i -> -p[i])).limit(width).mapToInt(Integer::intValue).toArray();
                for (int symbol : best) {
                    int[] symbols = Arrays.copyOf(beam.symbols(), step + 1);
                    symbols[step] = symbol;
                    candidates.add(new Beam(symbols, beam.logProbability() + Math.log(p[symbol]), beam.state()));
                }
            }
            candidates.sort(Comparator.comparingDouble(b -> -b.logProbability()));
            boolean last = step == length - 1; // the final beams need no state after them
            beams = candidates.subList(0, Math.min(width, candidates.size())).stream()
                    .map(b -> last ? b : new Beam(b.symbols(), b.logProbability(), b.state().after(b.symbols()[b.symbols().length - 1])))
                    .toList();
        }
        return beams.get(0).symbols();
    }

    /** The distribution with the forbidden symbols at 0, normalised again. */
    private double[] allowed(double[] p) {
        for (int symbol : forbidden) {
            p[symbol] = 0;
        }
        double sum = Arrays.stream(p).sum();
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static void requireLength(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("Write at least 1 symbol, not " + length);
        }
    }
}
