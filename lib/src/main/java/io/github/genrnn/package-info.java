/**
 * The course's helper library, grouped by the lesson that introduces each class.
 *
 * <ul>
 *   <li><b>Every lesson:</b> {@link io.github.genrnn.CourseScale} (smoke, default or full data),
 *       {@link io.github.genrnn.Charts} (charts as images).</li>
 *   <li><b>0b, the prequel, classifying news:</b> {@link io.github.genrnn.WordVocabulary} (the
 *       commonest words, unknown and padding), {@link io.github.genrnn.NewsBatches} (word indices,
 *       masks, length buckets), {@link io.github.genrnn.ClassifierSpec} (SimpleRNN, LSTM,
 *       bidirectional LSTM), {@link io.github.genrnn.NewsClassifier} (training for a time budget,
 *       evaluation), {@link io.github.genrnn.ConfusionMatrix} (accuracy, table, chart).</li>
 *   <li><b>1, vocabulary:</b> {@link io.github.genrnn.AgNews} (the data, downloaded once and cached),
 *       {@link io.github.genrnn.NewsArticle}, {@link io.github.genrnn.CharVocabulary}.</li>
 *   <li><b>2, batching:</b> {@link io.github.genrnn.TitleBatches} (padded titles, targets shifted
 *       by one, masks, length buckets), {@link io.github.genrnn.WindowBatches} (windows over full
 *       texts), {@link io.github.genrnn.SequenceBatch}, {@link io.github.genrnn.SequenceInput}.</li>
 *   <li><b>3, the LSTM generator:</b> {@link io.github.genrnn.GeneratorSpec} (the network and its
 *       parameter count), {@link io.github.genrnn.FusedLSTM} (DL4J's LSTM, computed faster),
 *       {@link io.github.genrnn.LstmCell} (one LSTM step in plain Java),
 *       {@link io.github.genrnn.CharLoss} (loss per character, in nats and bits).</li>
 *   <li><b>4, training:</b> {@link io.github.genrnn.GeneratorTraining} (validation, callbacks,
 *       checkpoints, resuming), {@link io.github.genrnn.TrainingEvent},
 *       {@link io.github.genrnn.TrainingInterruptedException}, {@link io.github.genrnn.LossHistory},
 *       {@link io.github.genrnn.Checkpoint}.</li>
 *   <li><b>5, generation:</b> {@link io.github.genrnn.TextGenerator} (greedy and temperature
 *       sampling), {@link io.github.genrnn.PlainJavaNetwork} (its fast engine),
 *       {@link io.github.genrnn.SampleStatistics}.</li>
 *   <li><b>6, experiments:</b> {@link io.github.genrnn.GRU} (a GRU layer for DL4J, chosen with
 *       {@code GeneratorSpec.gru}), {@link io.github.genrnn.GruCell} (its plain-Java step); time
 *       limits and validation inside epochs in {@link io.github.genrnn.GeneratorTraining}.</li>
 * </ul>
 *
 * The rest is plumbing and package-private: downloads, CSV parsing, atomic files, progress bars.
 */
package io.github.genrnn;
