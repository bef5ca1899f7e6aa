package io.github.genrnn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words a word-level model reads and writes: every token seen at least {@code minCount} times in
 * the training text, commonest first (ties alphabetical), after index 0, {@code <unk>}, which stands
 * for every rarer or unseen token.
 *
 * <p>A model that predicts {@code <unk>} has not said which word comes, so when a word-level model is
 * scored in bits per character, each unknown word also costs its spelling, letter by letter, under
 * the training text's letter frequencies ({@link #spellingLoss}); without it a small vocabulary would
 * look better than it is.
 */
public final class TokenVocabulary {
    /** The index of {@code <unk>}. */
    public static final int UNKNOWN = 0;
    /** How {@code <unk>} is written. */
    public static final String UNKNOWN_NAME = "<unk>";
    private final String[] tokens;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Map<Integer, Long> letterCounts = new HashMap<>();
    private final long letters, words;
    private final int minCount;

    private TokenVocabulary(List<String> training, int minCount) {
        Map<String, Long> counts = new HashMap<>();
        training.forEach(t -> counts.merge(t, 1L, Long::sum));
        this.tokens = java.util.stream.Stream.concat(java.util.stream.Stream.of(UNKNOWN_NAME), counts.entrySet().stream()
                        .filter(e -> e.getValue() >= minCount)
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .map(Map.Entry::getKey))
                .toArray(String[]::new);
        for (int i = 0; i < tokens.length; i++) {
            indexOf.put(tokens[i], i);
        }
        training.forEach(t -> t.codePoints().forEach(c -> letterCounts.merge(c, 1L, Long::sum)));
        this.letters = letterCounts.values().stream().mapToLong(Long::longValue).sum();
        this.words = training.size();
        this.minCount = minCount;
    }

    /** The tokens seen at least {@code minCount} times in the training tokens, and {@code <unk>}. */
    public static TokenVocabulary of(List<String> training, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("The cut-off is a count of at least 1, not " + minCount);
        }
        if (training.isEmpty()) {
            throw new IllegalArgumentException("There are no tokens to build a vocabulary from: the text is empty.");
        }
        TokenVocabulary vocabulary = new TokenVocabulary(training, minCount);
        if (vocabulary.size() < 3) {
            throw new IllegalArgumentException("Only " + (vocabulary.size() - 1) + " token(s) occur " + minCount
                    + " times or more; lower the cut-off.");
        }
        return vocabulary;
    }

    /** How many symbols: the kept tokens and {@code <unk>}. */
    public int size() {
        return tokens.length;
    }

    /** The cut-off: how often a token must occur in training to be kept. */
    public int minCount() {
        return minCount;
    }

    /** The index of each token, {@link #UNKNOWN} for those not kept. */
    public int[] encode(List<String> text) {
        return text.stream().mapToInt(t -> indexOf.getOrDefault(t, UNKNOWN)).toArray();
    }

    /** The tokens at these indices. */
    public List<String> decode(int... indices) {
        return Arrays.stream(indices).mapToObj(i -> tokens[i]).toList();
    }

    /** The share of these tokens that are not kept (would be read as {@code <unk>}). */
    public double unknownShare(List<String> text) {
        return text.stream().filter(t -> !indexOf.containsKey(t)).count() / (double) text.size();
    }

    /**
     * The loss, in nats, of spelling a token letter by letter and then ending it, each letter with its
     * frequency in the training tokens (add-one smoothed, one more symbol for letters never seen).
     */
    public double spellingLoss(String token) {
        double symbols = letterCounts.size() + 2; // the letters seen, any unseen letter, the end
        double total = letters + words + symbols;
        double loss = -Math.log((words + 1) / total);
        for (int c : token.codePoints().toArray()) {
            loss -= Math.log((letterCounts.getOrDefault(c, 0L) + 1) / total);
        }
        return loss;
    }

    /**
     * Nats per character of a word-level model's losses on a text: {@code losses[i]} is the loss of
     * token {@code i + 1} (the first is not predicted), to which every unknown token adds its
     * {@link #spellingLoss}; the sum is divided by the characters of the text after its first.
     */
    public double lossPerCharacter(double[] losses, List<String> text, int characters) {
        if (losses.length != text.size() - 1) {
            throw new IllegalArgumentException(losses.length + " losses for " + text.size() + " tokens; give one for each token "
                    + "after the first.");
        }
        double total = Arrays.stream(losses).sum();
        for (int i = 1; i < text.size(); i++) {
            total += indexOf.containsKey(text.get(i)) ? 0 : spellingLoss(text.get(i));
        }
        return total / (characters - 1);
    }

    /** The kept tokens, commonest first, as people read them ({@code \n} shown as ¶). */
    public List<String> shown(int first, int count) {
        return Arrays.stream(tokens).skip(first).limit(count).map(t -> t.equals(BookWords.PARAGRAPH) ? "¶" : t).toList();
    }

    @Override
    public String toString() {
        return "TokenVocabulary(" + size() + " symbols: " + UNKNOWN_NAME + " and the " + (size() - 1)
                + " tokens seen at least " + minCount + (minCount == 1 ? " time)" : " times)");
    }
}
