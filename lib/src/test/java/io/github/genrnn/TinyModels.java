package io.github.genrnn;

import java.util.Collections;
import java.util.List;

/** Small titles and a small generator trained on them, shared by the training and generation tests. */
final class TinyModels {
    static final List<String> TITLES = List.of("ab", "abc", "abcab", "cab", "bca", "a cab", "cc", "b a");
    static final CharVocabulary VOCABULARY = CharVocabulary.fromTexts(TITLES);
    static final GeneratorSpec SPEC = GeneratorSpec.lstm(VOCABULARY.size(), 16).withLearningRate(0.05).withSeed(3);
    static final GeneratorSpec GRU_SPEC = GeneratorSpec.gru(VOCABULARY.size(), 16).withLearningRate(0.05).withSeed(3);

    private TinyModels() {
    }

    static TitleBatches batches() {
        return TitleBatches.of(TITLES, VOCABULARY, 4).shuffled(1);
    }

    /** A network that has learned that every title is "ab": after "a" it writes "b", then <eos>. */
    static GeneratorTraining trainedOnAb(int epochs) {
        return trainedOnAb(SPEC, epochs);
    }

    static GeneratorTraining trainedOnAb(GeneratorSpec spec, int epochs) {
        var titles = Collections.nCopies(32, "ab");
        var training = GeneratorTraining.of(spec.network(), VOCABULARY, spec, TitleBatches.of(titles, VOCABULARY, 8))
                .epochs(epochs).progressTo(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        training.run();
        return training;
    }
}
