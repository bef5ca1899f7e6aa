package io.github.genrnn;

import java.util.List;

/** Batches of character sequences: a {@link PlannedBatches} with the vocabulary and input form they are encoded in. */
abstract class BatchIterator extends PlannedBatches {
    protected final CharVocabulary vocabulary;
    protected final SequenceInput input;

    BatchIterator(CharVocabulary vocabulary, SequenceInput input) {
        this.vocabulary = vocabulary;
        this.input = input;
    }

    /** The vocabulary the batches are encoded with. */
    CharVocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int inputColumns() {
        return input.features(vocabulary.size());
    }

    @Override
    public int totalOutcomes() {
        return vocabulary.size();
    }

    /** The texts encoded, with an error naming the first text that is empty or has unknown characters. */
    static int[][] encodeAll(List<String> texts, CharVocabulary vocabulary, String what) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("There are no " + what + "s to make batches from: the corpus is empty.");
        }
        int[][] encoded = new int[texts.size()][];
        for (int i = 0; i < encoded.length; i++) {
            String text = texts.get(i);
            if (text.isEmpty()) {
                throw new IllegalArgumentException("The " + what + " at position " + i + " is empty; remove empty texts first.");
            }
            try {
                encoded[i] = vocabulary.encode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The " + what + " at position " + i + ": " + e.getMessage(), e);
            }
        }
        return encoded;
    }
}
