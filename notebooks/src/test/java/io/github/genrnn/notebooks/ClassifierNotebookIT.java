package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.ClassifierSpec;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.NewsBatches;
import io.github.genrnn.WordVocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClassifierNotebookIT {
    private static final List<String> NETWORKS = List.of("SimpleRNN(16)", "LSTM(8)", "2×bidirectional LSTM(64)");
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("00b-rnn-classifier");
    private final boolean smoke = CourseRunner.SCALE.equals("smoke");
    private final int budget = smoke ? 3 : 60, testCount = smoke ? 400 : 7_600;
    private final Function<NewsArticle, String> text = a -> a.title() + " " + a.description();

    /** The training articles the lesson reads: spread evenly over the file, cleaned. */
    private List<NewsArticle> train() {
        List<NewsArticle> all = SharedTitles.news().train();
        int count = smoke ? 300 : 2_000, step = Math.max(1, all.size() / count);
        return IntStream.range(0, all.size()).filter(i -> i % step == 0).limit(count).mapToObj(all::get)
                .map(NewsArticle::cleaned).toList();
    }

    private List<NewsArticle> test() {
        return SharedTitles.news().test().stream().limit(testCount).map(NewsArticle::cleaned).toList();
    }

    private WordVocabulary vocabulary() {
        return WordVocabulary.fromTexts(train().stream().map(text).toList(), 20_000);
    }

    /** Each network's test accuracy as the lesson printed it, in the order it trained them. */
    private Map<String, Double> accuracies() {
        Map<String, Double> found = new LinkedHashMap<>();
        Matcher simple = Pattern.compile("test accuracy by hand ([\\d.]+), by the library ([\\d.]+)").matcher(notebook.text());
        assertTrue(simple.find(), notebook.text());
        found.put(NETWORKS.get(0), Double.parseDouble(simple.group(2)));
        Matcher m = Pattern.compile("(?m)^(.+): [\\d,]+ parameters, \\d+ steps in ([\\d.]+) s \\([\\d.]+ passes\\), test accuracy ([\\d.]+)$")
                .matcher(notebook.text());
        while (m.find()) {
            assertTrue(Double.parseDouble(m.group(2)) >= budget, m.group());
            found.put(m.group(1), Double.parseDouble(m.group(3)));
        }
        return found;
    }

    @Test
    void theVocabularyByHandEqualsTheLibrarysAndItsUnknownShareIsRecomputed() {
        WordVocabulary vocabulary = vocabulary();
        String words = notebook.cell("var vocabulary = ").text();
        assertTrue(words.startsWith(vocabulary + "\nthe same words in the same order as by hand: true\n"), words);
        long all = 0, unknown = 0;
        for (NewsArticle a : test()) {
            for (int w : vocabulary.encode(text.apply(a))) {
                all++;
                unknown += w == WordVocabulary.UNKNOWN ? 1 : 0;
            }
        }
        assertEquals(String.format("unknown words in the test texts: %,d of %,d (%.1f%%)%n", unknown, all, 100.0 * unknown / all),
                notebook.cell("long wordCount").text());
        Map<String, Long> perClass = new java.util.TreeMap<>();
        train().forEach(a -> perClass.merge(a.className(), 1L, Long::sum));
        assertTrue(notebook.cell("int trainCount").text().contains("training articles per class: " + perClass), perClass.toString());
        assertEquals(4, perClass.size());
    }

    @Test
    void bucketsLeaveLessPaddingAndTheFirstMinibatchHasItsMask() {
        var shuffled = NewsBatches.of(train(), text, vocabulary(), 16).shuffled(1);
        var bucketed = shuffled.bucketed();
        String printed = notebook.cell("int batchSize = 16").text();
        long words = shuffled.words();
        for (var b : List.of(shuffled, bucketed)) {
            long padded = b.paddedPositions();
            assertTrue(printed.contains(String.format(": %,d (%.1f%% of all positions)", padded, 100.0 * padded / (words + padded))), printed);
        }
        assertTrue(bucketed.paddedPositions() * 3 < shuffled.paddedPositions());
        var first = bucketed.next();
        assertTrue(notebook.cell("DataSet first = batches.next()").text().contains(
                "words per text: " + Arrays.toString(first.getFeaturesMaskArray().sum(1).toIntVector())));
    }

    @Test
    void theCellByHandEqualsDl4jsAndTheParametersTheFormula() {
        int v = vocabulary().size();
        long count = ClassifierSpec.simpleRnn(v).network().numParams();
        assertEquals((long) v * 64 + 16 * 81 + 68, count);
        assertTrue(notebook.cell("ClassifierSpec rnnSpec").text().contains(String.format("= %,d; DL4J counts %,d", count, count)));
        String[] mask = notebook.cell("DataSet two = ").text().split("\n");
        assertEquals(3, mask.length);
        assertEquals(mask[0].substring(mask[0].indexOf('[')), mask[1].substring(mask[1].indexOf('[')));
        assertTrue(!mask[0].substring(mask[0].indexOf('[')).equals(mask[2].substring(mask[2].indexOf('['))), mask[2]);
        Matcher m = Pattern.compile("largest difference (\\S+)").matcher(notebook.cell("by hand vs DL4J's layer").text());
        assertTrue(m.find() && Double.parseDouble(m.group(1)) < 1e-5, notebook.cell("by hand vs DL4J's layer").text());
    }

    @Test
    void accuracyByHandAgreesWithTheLibraryAndTheUntrainedGradientVanishesWordByWord() {
        Matcher m = Pattern.compile("test accuracy by hand ([\\d.]+), by the library ([\\d.]+)").matcher(notebook.text());
        assertTrue(m.find());
        assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), 1.0 / testCount + 1e-4);
        assertTrue(notebook.cell("System.out.println(rnnMatrix.table())").text().contains("Sci/Tech"));
        List<Double> before = new ArrayList<>();
        String printed = notebook.cell("reach(rnnSpec.network(), ids)").text();
        Matcher r = Pattern.compile("(?m)^\\s*(\\d+): (\\S+)  (\\S+)$").matcher(printed);
        while (r.find()) {
            before.add(Double.parseDouble(r.group(2)));
            assertTrue(Double.parseDouble(r.group(3)) > 0, printed);
        }
        assertEquals(7, before.size(), printed);
        for (int i = 2; i < before.size(); i++) {
            assertTrue(before.get(i) < before.get(i - 1), printed);   // it vanishes before training
        }
        assertTrue(before.get(6) < before.get(0) / 10, printed);
        Matcher factor = Pattern.compile("30 words back, against 1: ×(\\S+) before training, ×(\\S+) after").matcher(printed);
        assertTrue(factor.find(), printed);
        assertEquals(before.get(6) / before.get(0), Double.parseDouble(factor.group(1)), 0.02 * before.get(6) / before.get(0));
        assertTrue(notebook.images() >= 2);
    }

    @Test
    void theThreeNetworksTrainForTheSameTimeAndTheComparisonIsComputedFromTheRuns() {
        Map<String, Double> accuracies = accuracies();
        assertEquals(NETWORKS, List.copyOf(accuracies.keySet()));
        accuracies.forEach((name, accuracy) -> {
            assertTrue(accuracy > (smoke ? 0 : 0.3) && accuracy <= 1, name + " " + accuracy);
            String line = String.format("%s: %.2f%%, %.2f points below the paper's 86.06%%", name, 100 * accuracy, 86.06 - 100 * accuracy);
            assertTrue(notebook.text().contains(line), line);
        });
        String best = accuracies.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertTrue(notebook.text().contains("most accurate here: " + best + ", trained on " + String.format("%,d", train().size())
                + " articles for " + budget + " s"), notebook.text());
        String table = notebook.cell("Table comparison").text();
        for (String name : NETWORKS) {
            assertTrue(table.contains(name), table);
        }
        int wrong = (int) Math.round((1 - accuracies.get(best)) * testCount);
        Matcher e1 = Pattern.compile("Exercise 1: (\\d+) wrong").matcher(notebook.text());
        assertTrue(e1.find());
        assertEquals(wrong, Integer.parseInt(e1.group(1)), 1);
    }

    @Test
    void badInputIsRefusedOrAnsweredAsDocumented() {
        assertEquals("refused: The text \"\" has no words (letters or digits); a classifier needs at least one word to read.\n"
                + "refused: The text \"?!\" has no words (letters or digits); a classifier needs at least one word to read.\n"
                + "refused: The article at position 0 has label 7; AG News labels are 1 to 4 (World, Sports, Business, Sci/Tech).\n",
                notebook.cell("for (String bad").text());
        String[] unknown = notebook.cell("for (String unknown").text().split("\n");
        assertEquals(2, unknown.length);
        assertTrue(unknown[0].startsWith("qwzx vbnq plokm → [1, 1, 1] → "), unknown[0]);
        assertEquals(unknown[0].substring(unknown[0].indexOf(" → ")), unknown[1].substring(unknown[1].indexOf(" → ")));
    }

    @Test
    void countingWordsAndTheLeversAreMeasuredBesideTheNetworks() {
        Map<String, int[]> inClass = new java.util.HashMap<>();
        int[] classWords = new int[4], classTexts = new int[4];
        List<NewsArticle> train = train();
        for (NewsArticle a : train) {
            classTexts[a.label() - 1]++;
            for (String w : WordVocabulary.words(text.apply(a))) {
                inClass.computeIfAbsent(w, k -> new int[4])[a.label() - 1]++;
                classWords[a.label() - 1]++;
            }
        }
        long right = 0;
        for (NewsArticle a : test()) {
            double[] score = new double[4];
            for (int c = 0; c < 4; c++) {
                score[c] = Math.log((double) classTexts[c] / train.size());
                for (String w : WordVocabulary.words(text.apply(a))) {
                    int[] n = inClass.get(w);
                    score[c] += n == null ? 0 : Math.log((n[c] + 1.0) / (classWords[c] + inClass.size()));
                }
            }
            int best = 0;
            for (int c = 1; c < 4; c++) {
                best = score[c] > score[best] ? c : best;
            }
            right += best == a.label() - 1 ? 1 : 0;
        }
        double accuracy = (double) right / testCount;
        assertTrue(notebook.cell("double countingAccuracy").text().contains(String.format("Naive Bayes, test accuracy %.4f", accuracy)),
                accuracy + " in " + notebook.cell("double countingAccuracy").text());
        long seenTwice = inClass.values().stream().filter(n -> Arrays.stream(n).sum() >= 2).count();
        String levers = notebook.cell("Map<String, Double> levers").text();
        for (int seconds : new int[] {budget, 2 * budget}) {
            assertTrue(levers.contains(String.format("LSTM(8), %,d words, %d s: ", Math.min(seenTwice, 20_000), seconds)), levers);
        }
        Matcher leverRuns = Pattern.compile("test accuracy ([\\d.]+)").matcher(levers);
        double once = leverRuns.find() ? Double.parseDouble(leverRuns.group(1)) : Double.NaN;
        double twice = leverRuns.find() ? Double.parseDouble(leverRuns.group(1)) : Double.NaN;
        Matcher gain = Pattern.compile("Twice the time: ([-+][\\d.]+) points; more passes over the same texts (helped|did not help)\\.")
                .matcher(levers);
        assertTrue(gain.find(), levers);
        assertEquals(100 * (twice - once), Double.parseDouble(gain.group(1)), 0.016, levers); // rounding: 4 decimals each, 2 for points
        if (twice != once) { // equal as printed: the verdict comes from the unrounded accuracies
            assertEquals(twice > once ? "helped" : "did not help", gain.group(2), levers);
        }
        String all = notebook.cell("Most accurate at this scale").text();
        Matcher rows = Pattern.compile("(?m)^(.+?) +([\\d.]+)%$").matcher(all);
        Map<String, Double> printed = new LinkedHashMap<>();
        while (rows.find()) {
            printed.put(rows.group(1), Double.parseDouble(rows.group(2)));
        }
        assertEquals(6, printed.size(), all);
        assertEquals(100 * accuracy, printed.get("Naive Bayes (counting words)"), 0.005, all);
        String top = printed.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertTrue(all.contains("Most accurate at this scale: " + top + "."), all);
    }

    @Test
    void theExercisesAnswer() {
        String two = notebook.cell("// Exercise 2").text();
        for (String name : NETWORKS) {
            Matcher m = Pattern.compile(Pattern.quote("Exercise 2: " + name + " says ") + "(\\S+)").matcher(two);
            assertTrue(m.find() && List.of(NewsArticle.CLASSES).contains(m.group(1)), two);
        }
        Matcher three = Pattern.compile("Exercise 3: titles only ([\\d.]+), titles and descriptions ([\\d.]+)")
                .matcher(notebook.cell("// Exercise 3").text());
        assertTrue(three.find());
        assertEquals(accuracies().get(NETWORKS.get(0)), Double.parseDouble(three.group(2)), 1e-9);
    }
}
