package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.Book;
import io.github.genrnn.BookWords;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.Decoding;
import io.github.genrnn.NGramModel;
import io.github.genrnn.NetworkModel;
import io.github.genrnn.TextLoss;
import io.github.genrnn.TokenVocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;

/** Lesson 7, the lab: every figure it prints recomputed from the book and the checkpoints it saved. */
class LabNotebookIT {
    private static final Path CHECKPOINTS = CourseRunner.ROOT.resolve("build/checkpoints/book-" + CourseRunner.SCALE);
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("07-book-lab");
    private final Book book = Book.file(CourseRunner.BOOK);
    private final CharVocabulary chars = CharVocabulary.fromTexts(List.of(book.text()));
    private final int[] heldChars = chars.encode(book.heldOut());

    @Test
    void readsTheChosenBookAndCountsByHandAsTheLibraryDoes() {
        assertTrue(notebook.cell("Book.choose(choice)").text().contains(book.toString()), notebook.cell("Book.choose(choice)").text());
        String check = notebook.cell("NGramModel.count(trainChars, chars.size(), 3)").text();
        Matcher m = Pattern.compile("by hand (\\d\\.\\d+), library (\\d\\.\\d+) nats").matcher(check);
        assertTrue(m.find() && m.group(1).equals(m.group(2)), check);
        NGramModel trigram = NGramModel.count(chars.encode(book.training()), chars.size(), 3);
        assertEquals(String.format("%.6f", trigram.meanLoss(heldChars)), m.group(2));
    }

    @Test
    void theBestNgramIsTheOneWithTheLowestHeldOutLoss() {
        NGramModel counted = NGramModel.count(chars.encode(book.training()), chars.size(), 8);
        int best = 1;
        for (int n = 2; n <= 8; n++) {
            best = counted.withOrder(n).meanLoss(heldChars) < counted.withOrder(best).meanLoss(heldChars) ? n : best;
        }
        double loss = counted.withOrder(best).meanLoss(heldChars);
        assertTrue(notebook.cell("int bestN =").text().contains(String.format("Best: the %d-gram, %.3f nats = %.3f bits per character, "
                + "perplexity %.2f", best, loss, loss / Math.log(2), Math.exp(loss))), notebook.cell("int bestN =").text());
        String table = notebook.cell("Table orders").text();
        assertTrue(table.contains("character n-grams on the held-out text") && table.lines().count() >= 11, table);
    }

    @Test
    void theCharacterVerdictFollowsFromTheSavedNetwork() throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(CHECKPOINTS.resolve("characters.zip").toFile());
        double network = TextLoss.mean(net, heldChars);
        Matcher m = Pattern.compile("Characters: the network (\\d\\.\\d{3}), the (\\d)-gram (\\d\\.\\d{3}) nats per character: the network is "
                + "(\\d\\.\\d{3}) nats (better than|behind) counting\\.").matcher(notebook.text());
        assertTrue(m.find(), notebook.text());
        assertEquals(String.format("%.3f", network), m.group(1));
        double ngram = NGramModel.count(chars.encode(book.training()), chars.size(), Integer.parseInt(m.group(2))).meanLoss(heldChars);
        assertEquals(String.format("%.3f", ngram), m.group(3));
        assertEquals(network < ngram ? "better than" : "behind", m.group(5));
        assertEquals(Math.abs(ngram - network), Double.parseDouble(m.group(4)), 0.0011);
        String byHand = notebook.cell("first 500 held-out characters").text();
        Matcher hand = Pattern.compile("by hand (\\d\\.\\d{4}), TextLoss (\\d\\.\\d{4})").matcher(byHand);
        assertTrue(hand.find() && Math.abs(Double.parseDouble(hand.group(1)) - Double.parseDouble(hand.group(2))) <= 0.0002, byHand);
        assertEquals(1, notebook.cell("Charts.lines(\"Characters: network against counting\"").images());
    }

    @Test
    void carryingTheStateIsComparedAtEqualSteps() {
        Matcher m = Pattern.compile("After (\\d+) steps each: carried state (\\d\\.\\d{3}), shuffled windows (\\d\\.\\d{3}) nats per "
                + "character: carrying the state is (\\d\\.\\d{3}) nats (better|worse)\\.").matcher(notebook.text());
        assertTrue(m.find(), notebook.text());
        String runs = notebook.cell("double bestAfter(boolean stateful)").text();
        assertEquals(2, runs.split("training in " + m.group(1) + " steps", -1).length - 1, runs);
        double stateful = Double.parseDouble(m.group(2)), shuffled = Double.parseDouble(m.group(3));
        assertTrue(stateful < Math.log(chars.size()) && shuffled < Math.log(chars.size()), "both learned something");
        assertEquals(stateful <= shuffled ? "better" : "worse", m.group(5));
    }

    @Test
    void theWordVerdictFollowsFromTheSavedNetworkWithUnknownWordsSpelled() throws IOException {
        Matcher chosen = Pattern.compile("seen at least (\\d+) times?\\)").matcher(notebook.cell("TokenVocabulary words =").text());
        assertTrue(chosen.find() && Integer.parseInt(chosen.group(1)) >= 2, "a cut-off that leaves <unk> in the training text");
        List<String> trainTokens = BookWords.tokens(book.training()), heldTokens = BookWords.tokens(book.heldOut());
        TokenVocabulary words = TokenVocabulary.of(trainTokens, Integer.parseInt(chosen.group(1)));
        assertTrue(words.size() <= 5_000);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(CHECKPOINTS.resolve("words.zip").toFile());
        double network = words.lossPerCharacter(TextLoss.perSymbol(net, words.encode(heldTokens)), heldTokens, book.heldOut().length());
        Matcher m = Pattern.compile("Words: the network (\\d\\.\\d{3}), the (\\d)-gram (\\d\\.\\d{3}) nats per character: the network is "
                + "(\\d\\.\\d{3}) nats (better than|behind) counting\\.").matcher(notebook.text());
        assertTrue(m.find(), notebook.text());
        assertEquals(String.format("%.3f", network), m.group(1));
        int n = Integer.parseInt(m.group(2));
        NGramModel gram = NGramModel.count(words.encode(trainTokens), words.size(), n);
        double ngram = words.lossPerCharacter(gram.losses(words.encode(heldTokens)), heldTokens, book.heldOut().length());
        assertEquals(String.format("%.3f", ngram), m.group(3));
        assertEquals(network < ngram ? "better than" : "behind", m.group(5));

        String prompt = promptOf(book);
        List<String> promptTokens = BookWords.tokens(prompt);
        int[] greedy = new Decoding(new NetworkModel(net), TokenVocabulary.UNKNOWN).greedy(words.encode(promptTokens), 40);
        List<String> text = new java.util.ArrayList<>(promptTokens);
        text.addAll(words.decode(greedy));
        String written = notebook.cell("written.put(\"greedy\"").text();
        assertTrue(written.contains("greedy:\n    " + BookWords.join(text).replace("\n", " ¶ ")), written);
        for (String how : List.of("temperature 0.8:", "top-40:", "nucleus 0.9:", "beam of 5:")) {
            assertTrue(written.contains(how + "\n    " + prompt.strip()), how + " " + written);
        }
    }

    @Test
    void allFourModelsStandInOneTableAndChart() {
        String table = notebook.cell("Table footing").text();
        for (String model : List.of("uniform", "-gram (characters)", "LSTM (characters)", "-gram (words)", "LSTM (words)")) {
            assertTrue(table.contains(model), table);
        }
        assertEquals(1, notebook.cell("Charts.bars(\"Held-out loss, one footing\"").images());
        String wins = notebook.cell("for (String k : List.of(\"first letter of a word\"").text();
        Matcher counts = Pattern.compile("(\\d+) characters: LSTM (\\d\\.\\d{3}), \\d-gram (\\d\\.\\d{3}) nats: (the LSTM|counting) wins").matcher(wins);
        int total = 0;
        while (counts.find()) {
            total += Integer.parseInt(counts.group(1));
            double network = Double.parseDouble(counts.group(2)), counting = Double.parseDouble(counts.group(3));
            if (network != counting) { // equal as printed: the lesson decides on the unrounded losses
                assertEquals(network < counting ? "the LSTM" : "counting", counts.group(4), wins);
            }
        }
        assertEquals(heldChars.length - 1, total, "every held-out target in one of the three kinds: " + wins);
        String copies = notebook.cell("-character runs found in the training text").text();
        String share = " LSTM \\d+\\.\\d%, \\d-gram \\d+\\.\\d%, held-out text \\d+\\.\\d%\\n";
        assertTrue(copies.matches("12-character runs found in the training text:" + share + "30-character runs found in the training text:"
                + share + "4-word runs found in the training text:" + share + "8-word runs found in the training text:" + share), copies);
    }

    @Test
    void exercisesAndTheBadInputRun() {
        assertTrue(notebook.text().contains("There is no file /no/such/book.txt; give the path of a UTF-8 text file"));
        for (String line : List.of("Exercise 2: cut-off 1,", "Exercise 2: cut-off 20,", "Exercise 3: T = 0.5,", "Exercise 3: T = 1.2,",
                "Exercise 4: 12-character runs copied: the 8-gram")) {
            assertTrue(notebook.text().contains(line), line);
        }
        assertTrue(Arrays.stream(notebook.text().split("\n")).noneMatch(l -> l.startsWith("ERROR")));
    }

    /** The prompt the lab writes from: the first four words of the first held-out paragraph longer than 200 characters. */
    private static String promptOf(Book book) {
        String paragraph = Arrays.stream(book.heldOut().split("\n")).filter(p -> p.length() > 200).findFirst().orElse(book.heldOut());
        return String.join(" ", Arrays.asList(paragraph.split(" ")).subList(0, 4)) + " ";
    }
}
