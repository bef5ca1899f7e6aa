package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.CharVocabulary;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.TitleBatches;
import io.github.genrnn.WindowBatches;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BatchingNotebookIT {
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("02-batching-with-eos");
    private final List<String> titles = SharedTitles.titles();
    private final int nchars = CourseRunner.SCALE.equals("smoke") ? 50 : 100; // as the notebook picks it

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
    void theMaskKeepsPaddingOutOfTheLoss() {
        String scores = notebook.cell("double unmasked").text();
        Matcher m = Pattern.compile("score with the mask ([\\d.]+): ([\\d.]+) nats per real character \\(ln V = ([\\d.]+)\\)\\n"
                + "score without it +([\\d.]+): (\\d+)% of it is the padding").matcher(scores);
        assertTrue(m.find(), scores);
        assertEquals(Double.parseDouble(m.group(3)), Double.parseDouble(m.group(2)), 0.1, "untrained: about ln V per character");
        assertTrue(Double.parseDouble(m.group(4)) > Double.parseDouble(m.group(1)) && Integer.parseInt(m.group(5)) > 0, scores);
    }

    @Test
    void windowsOverDescriptionsSlideByOneCharacter() {
        List<String> descriptions = SharedTitles.news().train().stream().map(NewsArticle::description).toList();
        String firstUsed = descriptions.stream().filter(d -> d.length() > nchars).findFirst().orElseThrow();
        String windows = notebook.cell("for (int i = 0; i < 2; i++)").text();
        assertTrue(windows.contains("input  0: " + firstUsed.substring(0, nchars) + "\n"), windows);
        assertTrue(windows.contains("target 0: " + firstUsed.substring(1, nchars + 1) + "\n"), windows);
        assertTrue(notebook.cell("int firstUsed").text().contains("the first comes from description "
                + descriptions.indexOf(firstUsed) + " (" + firstUsed.length() + " characters): features ["
                + (firstUsed.length() - nchars) + ", "), notebook.cell("int firstUsed").text());
        int symbols = CharVocabulary.fromTexts(descriptions).size();
        assertTrue(notebook.text().contains("minibatches of [64, " + symbols + ", " + nchars + "]"));
        assertTrue(notebook.text().contains("features [64, " + symbols + ", " + nchars + "], labels [64, " + symbols + ", "
                + nchars + "], targets counted per window: 1, at step " + (nchars - 1)), notebook.cell("WindowBatches.nextChar").text());
    }

    @Test
    void exerciseSolutionsAreRight() {
        int batches = (titles.size() + 63) / 64;
        assertTrue(notebook.text().contains("Exercise 1: " + batches + " minibatches, the last with "
                + (titles.size() - 64 * (batches - 1)) + " titles; iterator says " + batches));
        List<String> descriptions = SharedTitles.news().train().stream().map(NewsArticle::description).toList();
        String first = descriptions.stream().filter(d -> d.length() > nchars).findFirst().orElseThrow();
        assertTrue(notebook.text().contains("Exercise 2: " + (first.length() - nchars) + " windows; the first minibatch has "
                + (first.length() - nchars)));
        assertTrue(notebook.text().contains("Exercise 3: input Hello, target ello<eos>"));
        var shorter = WindowBatches.perText(descriptions, CharVocabulary.fromTexts(descriptions), 40);
        assertTrue(notebook.text().contains("Exercise 4: " + shorter.batchCount() + " minibatches, "
                + shorter.skippedTexts() + " texts skipped"));
    }
}
