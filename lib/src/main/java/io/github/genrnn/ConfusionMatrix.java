package io.github.genrnn;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** How often each class of AG News was predicted as each class: rows actual, columns predicted. */
public final class ConfusionMatrix {
    private final int[][] counts = new int[NewsArticle.CLASSES.length][NewsArticle.CLASSES.length];

    /** Counts one text of class {@code actual} predicted as {@code predicted} (both 0 to 3). */
    public void add(int actual, int predicted) {
        counts[actual][predicted]++;
    }

    /** How many texts of class {@code actual} were predicted as {@code predicted}. */
    public int count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** The number of texts counted. */
    public int total() {
        return Arrays.stream(counts).flatMapToInt(Arrays::stream).sum();
    }

    /** The share of texts predicted as their own class. */
    public double accuracy() {
        int right = 0;
        for (int c = 0; c < counts.length; c++) {
            right += counts[c][c];
        }
        return (double) right / total();
    }

    /** One row per actual class, one column per predicted class. */
    public Table table() {
        Table table = Table.create("confusion matrix (rows: actual class, columns: predicted)",
                StringColumn.create("actual", NewsArticle.CLASSES));
        for (int p = 0; p < counts.length; p++) {
            int column = p;
            table.addColumns(IntColumn.create(NewsArticle.CLASSES[p],
                    Arrays.stream(counts).mapToInt(row -> row[column]).toArray()));
        }
        return table;
    }

    /** For each actual class, bars of how its texts were predicted. */
    public BufferedImage chart(String title) {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int p = 0; p < counts.length; p++) {
            int column = p;
            series.put("predicted " + NewsArticle.CLASSES[p], Arrays.stream(counts).mapToDouble(row -> row[column]).toArray());
        }
        return Charts.bars(title, "actual class", "texts", List.of(NewsArticle.CLASSES), series);
    }
}
