package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.genrnn.CharLoss;
import io.github.genrnn.GeneratorSpec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LstmNotebookIT {
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("03-lstm-generator");

    @Test
    void derivesTheParameterCount() {
        String count = notebook.cell("by the formula").text();
        assertTrue(count.contains("by the formula: LSTM 107520 + output 10449 = 117969"), count);
        assertTrue(count.contains("DL4J counts:    117969"), count);
        assertTrue(count.contains("with the lesson's 84 symbols: 119892"), count);
        assertTrue(notebook.cell("net.summary()").text().contains("Total Parameters:  117,969"));
        assertTrue(notebook.cell("paramTable").text().contains("0_RW [128, 512]"));
    }

    @Test
    void theStepByHandEqualsDl4jAndTheLibrarysLstmCell() {
        String steps = notebook.cell("lstmStep(x, h, c)").text();
        assertTrue(steps.contains("after 'T': largest difference from DL4J's h") && steps.contains("after 'o'"), steps);
        assertSmall(steps, 2);
        assertSmall(notebook.cell("nextByHand").text(), 1);
        assertSmall(notebook.cell("LstmCell.copyOf").text(), 1);
        assertSmall(notebook.cell("// Exercise 4").text(), 1);
        int firstTitle = SharedTitles.titles().get(0).length();
        assertTrue(notebook.cell("// Exercise 4").text().contains("Exercise 4: " + firstTitle + " steps"));
    }

    /** The notebook prints each difference as %.1e; all must be below 1e-5. */
    private static void assertSmall(String text, int count) {
        Matcher m = Pattern.compile("(\\d\\.\\de[-+]\\d+)").matcher(text);
        int found = 0;
        while (m.find()) {
            assertTrue(Double.parseDouble(m.group(1)) < 1e-5, text);
            found++;
        }
        assertEquals(count, found, text);
    }

    @Test
    void theHandBuiltNetworkIsTheLibrarys() {
        String text = notebook.cell("same initial weights").text();
        assertTrue(text.contains("layers: [FusedLSTM, SoftmaxOutput]") && text.contains("same initial weights: true"), text);
        java.util.regex.Matcher gap = java.util.regex.Pattern.compile("same probabilities: largest difference (\\d\\.\\de[-+]\\d+)").matcher(text);
        assertTrue(gap.find() && Double.parseDouble(gap.group(1)) < 1e-6, text);
    }

    @Test
    void anUntrainedNetworkIsNearUniform() {
        assertTrue(notebook.text().contains("input [8, 81, 73] -> output [8, 81, 73]"));
        assertTrue(notebook.text().contains("probabilities at title 0, step 0 sum to 1.0000"));
        String guess = notebook.cell("untrained.nextCharDistribution").text();
        assertTrue(guess.matches("(?s).*highest 0\\.01\\d\\d, lowest 0\\.01\\d\\d, uniform 1/80 = 0\\.0125.*"), guess);
        assertTrue(guess.matches("(?s).*loss on the first batches: 4\\.3\\d\\d nats per character, ln V = 4\\.394.*"), guess);
        assertEquals(1, notebook.images());
    }

    @Test
    void exerciseSolutionsAreRight() {
        long lesson2 = 4L * (84 * 64 + 64 * 64 + 64) + 64 * 84 + 84;
        assertTrue(notebook.text().contains("Exercise 1: " + lesson2 + " parameters"));
        long difference = GeneratorSpec.lstm(81, 128).withEmbedding(16).parameterCount() - GeneratorSpec.lstm(81, 128).parameterCount();
        assertTrue(notebook.text().contains("Exercise 2: saves " + -difference + " parameters"));
        assertTrue(notebook.text().contains(String.format("Exercise 3: %.3f bits per character", CharLoss.bits(Math.log(81)))));
    }
}
