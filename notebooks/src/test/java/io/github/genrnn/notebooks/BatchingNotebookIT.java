package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.CharVocabulary;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.TitleBatches;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingNotebookIT {
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("02-batching-with-eos");
    private final List<String> titles = SharedTitles.titles();

    @Test
    void theHandMadeBatchShiftsTargetsAndEndsThemWithEos() {
        String table = notebook.cell("batch by time step").text();
        // "Safety Net (Forbes.com)": step 0 reads S and should answer a; the last step answers <eos>.
        assertTrue(table.matches("(?s).*\\n\\s*0\\s*\\|\\s*S\\s*\\|\\s*a\\s*\\|\\s*1\\s*\\|.*"), table);
        assertTrue(table.matches("(?s).*\\n\\s*22\\s*\\|\\s*\\)\\s*\\|\\s*<eos>\\s*\\|\\s*1\\s*\\|.*"), table);
        assertTrue(table.matches("(?s).*\\n\\s*23\\s*\\|\\s*<pad>\\s*\\|\\s*<pad>\\s*\\|\\s*0\\s*\\|.*"), table);
        assertTrue(notebook.text().contains("features [3, 81, 28], labels [3, 81, 28], mask [3, 28]"));
    }

    @Test
    void theLibraryIteratorGivesTheSameArrays() {
        String text = notebook.cell("same features").text();
        assertTrue(text.contains("same features: true") && text.contains("same labels: true")
                && text.contains("same masks: true true"), text);
    }

    @Test
    void showsAMaskAndMeasuresBucketing() {
        assertEquals(1, notebook.cell("Charts.grid").images());
        String padding = notebook.cell("paddedPositions").text();
        CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);
        long plain = TitleBatches.of(titles, vocabulary, 64).shuffled(42).paddedPositions();
        assertTrue(padding.contains("padded positions per pass: " + plain + " shuffled"), padding);
    }

    @Test
    void windowsOverDescriptionsSlideByOneCharacter() {
        String windows = notebook.cell("for (int i = 0; i < 2; i++)").text();
        assertTrue(windows.contains("input  0: Reuters - Short-sellers, Wall Street's dwindling\\b"), windows);
        assertTrue(windows.contains("target 0: euters - Short-sellers, Wall Street's dwindling\\ba"), windows);
        assertTrue(notebook.text().contains("minibatches of [64, 84, 50]"));
        assertTrue(notebook.text().contains("features [64, 84, 50], labels [64, 84]"));
    }

    @Test
    void exerciseSolutionsAreRight() {
        int batches = (titles.size() + 63) / 64;
        assertTrue(notebook.text().contains("Exercise 1: " + batches + " minibatches, the last with "
                + (titles.size() - 64 * (batches - 1)) + " titles; iterator says " + batches));
        String first = SharedTitles.news().train().stream().map(NewsArticle::description).findFirst().orElseThrow();
        assertTrue(notebook.text().contains("Exercise 2: " + (first.length() - 50) + " windows; the first minibatch has "
                + (first.length() - 50)));
        assertTrue(notebook.text().contains("Exercise 3: input Hello, target ello<eos>"));
    }
}
