package io.github.genrnn;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a set of generated texts looks like, to compare sampling temperatures:
 *
 * @param distinctWords   distinct words over all words, across the samples: low when the model repeats itself
 * @param repeatedBigrams word pairs that occur again within the same sample, over all word pairs: loops
 * @param verbatim        samples that are exactly a training title: memorised rather than new
 * @param meanLength      mean length in characters
 */
public record SampleStatistics(double distinctWords, double repeatedBigrams, double verbatim, double meanLength) {

    /** The statistics of these samples against the training titles. */
    public static SampleStatistics of(List<String> samples, Collection<String> trainingTitles) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("There are no samples to measure");
        }
        Set<String> known = trainingTitles instanceof Set<String> s ? s : new HashSet<>(trainingTitles);
        Set<String> distinct = new HashSet<>();
        long words = 0, bigrams = 0, repeated = 0, verbatim = 0, characters = 0;
        for (String sample : samples) {
            String[] tokens = Arrays.stream(sample.trim().split("\\s+")).filter(w -> !w.isEmpty()).toArray(String[]::new);
            words += tokens.length;
            distinct.addAll(Arrays.asList(tokens));
            Map<String, Integer> pairs = new HashMap<>();
            for (int i = 0; i + 1 < tokens.length; i++) {
                bigrams++;
                if (pairs.merge(tokens[i] + " " + tokens[i + 1], 1, Integer::sum) > 1) {
                    repeated++;
                }
            }
            verbatim += known.contains(sample) ? 1 : 0;
            characters += sample.length();
        }
        return new SampleStatistics(words == 0 ? 0 : (double) distinct.size() / words,
                bigrams == 0 ? 0 : (double) repeated / bigrams, (double) verbatim / samples.size(),
                (double) characters / samples.size());
    }
}
