package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StackCheckNotebookIT {
    private final ExecutedNotebook notebook = CourseRunner.course().notebook("00-stack-check");

    @Test
    void printsJavaAndTheCpuBackend() {
        String text = notebook.cell("Nd4j.getBackend()").text();
        assertTrue(text.contains("Java 17"), text);
        assertTrue(text.contains("ND4J backend: CpuBackend"), text);
    }

    @Test
    void computesWithNd4jAndTablesaw() {
        String gram = notebook.cell("x.mmul").text();
        assertTrue(gram.contains("x·xᵀ [2, 2]"), gram);
        assertTrue(gram.replaceAll("\\s", "").contains("[[14.0000,32.0000],[32.0000,77.0000]]"), gram);
        assertTrue(notebook.cell("Table letters").text().contains("99"));
    }

    @Test
    void showsTheChartAsAnImage() {
        assertEquals(1, notebook.cell("Charts.lines").images());
        assertEquals(1, notebook.images());
    }
}
