package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.CharVocabulary;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VocabularyNotebookIT {
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("01-vocabulary");
    private final List<String> titles = SharedTitles.titles();
    private final CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);

    @Test
    void loadsTheSharedSplits() {
        assertTrue(notebook.text().contains("2000 training articles from train-first-2000.csv, 7600 test articles"));
        assertTrue(notebook.cell("selectColumns(\"class\", \"title\")").text().contains("Wall St. Bears Claw Back"));
    }

    @Test
    void theHandMadeVocabularyMatchesTheLibrary() {
        assertTrue(notebook.text().contains("padding = 0, characters = 1..79, <eos> = 80, vocabulary size = 81"));
        assertTrue(notebook.text().contains("CharVocabulary(81 symbols: <pad>, 79 characters, <eos>); same as by hand: true"));
    }

    @Test
    void showsFrequenciesAsTablesAndCharts() {
        String table = notebook.cell("vocabulary.frequencies()").text();
        assertTrue(table.matches("(?s).*1\\s*\\|\\s*␣\\s*\\|\\s*" + vocabulary.count(1) + ".*"), table);
        assertEquals(3, notebook.images(), "title lengths, most and least frequent characters");
        assertEquals(1, notebook.cell("The 25 rarest characters").images());
        int rarest = vocabulary.eos() - 1;
        long rare = IntStream.range(1, vocabulary.eos()).filter(k -> vocabulary.count(k) < 10).count();
        assertTrue(table.contains(rare + " characters occur fewer than 10 times; the rarest, '" + vocabulary.shown(rarest)
                + "', " + vocabulary.count(rarest) + " times"), table);
    }

    @Test
    void roundTripsATitleAndNamesUnknownCharacters() {
        assertTrue(notebook.text().contains("round trip exact: true"));
        assertTrue(notebook.text().contains("decoded: Wall St. Bears Claw Back Into the Black (Reuters)"));
        assertTrue(notebook.text().contains("The vocabulary has no 'ü' (U+00FC), '☃' (U+2603)"));
        assertTrue(notebook.text().contains("loaded back equal: true"));
        assertTrue(notebook.text().contains("105 of 2000 titles would change"));
    }

    @Test
    void exerciseSolutionsAreRight() {
        int lower = CharVocabulary.fromTexts(titles.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList()).size();
        assertTrue(notebook.text().contains("Exercise 1: " + lower + " symbols when lower-cased"), notebook.text());

        long all = IntStream.range(1, vocabulary.eos()).mapToLong(vocabulary::count).sum();
        long top = IntStream.rangeClosed(1, 10).mapToLong(vocabulary::count).sum();
        assertTrue(notebook.text().contains(String.format("Exercise 2: %.1f%% of all characters", 100.0 * top / all)));

        String longest = titles.stream().max(Comparator.comparingInt(String::length)).orElseThrow();
        assertTrue(notebook.text().contains("Exercise 3: " + (longest.length() + 1) + " indices for \"" + longest + "\""));

        CharVocabulary descriptions = CharVocabulary.fromTexts(SharedTitles.news().train().stream()
                .map(io.github.genrnn.NewsArticle::description).toList());
        assertTrue(notebook.text().contains("Exercise 4: " + descriptions.size() + " symbols; not in titles: "), notebook.text());
    }
}
