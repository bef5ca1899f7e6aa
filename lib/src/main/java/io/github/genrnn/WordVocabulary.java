package io.github.genrnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The words a classifier knows: the most frequent words of its training texts, after index 0 for
 * padding and index 1 for every unknown word. A text's words are its runs of letters and digits,
 * in lower case, with apostrophes dropped ("Wall St.'s" → wall, st, s; "don't" → dont), much as
 * Keras's {@code TextVectorization} splits them. Ties in frequency go to the alphabetically first
 * word.
 */
public final class WordVocabulary {
    public static final int PAD = 0, UNKNOWN = 1;
    public static final String PAD_NAME = "<pad>", UNKNOWN_NAME = "<unk>";
    private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final List<String> words;
    private final Map<String, Integer> index = new HashMap<>();

    private WordVocabulary(List<String> words) {
        this.words = List.copyOf(words);
        for (int i = 0; i < this.words.size(); i++) {
            index.put(this.words.get(i), i);
        }
    }

    /** The {@code maxWords} most frequent words of the texts, plus padding and unknown. */
    public static WordVocabulary fromTexts(Collection<String> texts, int maxWords) {
        PlannedBatches.requirePositive(maxWords, "The number of words");
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            for (String word : words(text)) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<String> ranked = new ArrayList<>(List.of(PAD_NAME, UNKNOWN_NAME));
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(maxWords).forEach(e -> ranked.add(e.getKey()));
        return new WordVocabulary(ranked);
    }

    /** The words of a text: runs of letters and digits, lower case, apostrophes dropped. */
    public static List<String> words(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replace("'", "").replace("’", "");
        return Arrays.stream(NOT_A_WORD.split(lower)).filter(w -> !w.isEmpty()).toList();
    }

    /** The text as word indices, unknown words as {@link #UNKNOWN}; a text without words is refused. */
    public int[] encode(String text) {
        List<String> found = words(text);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("The text \"" + text + "\" has no words (letters or digits); "
                    + "a classifier needs at least one word to read.");
        }
        return found.stream().mapToInt(w -> index.getOrDefault(w, UNKNOWN)).toArray();
    }

    /** The words of these indices, joined by spaces. */
    public String decode(int[] indices) {
        return String.join(" ", Arrays.stream(indices).mapToObj(words::get).toList());
    }

    /** Padding, unknown and the known words. */
    public int size() {
        return words.size();
    }

    /** The most frequent known words, most frequent first. */
    public List<String> commonest(int count) {
        return words.subList(2, Math.min(words.size(), 2 + count));
    }

    @Override
    public String toString() {
        return "WordVocabulary of " + size() + " (padding, unknown and " + (size() - 2) + " words)";
    }
}
