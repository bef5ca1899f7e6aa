package io.github.genrnn;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Charts drawn in the JVM with XChart and returned as images, which a notebook shows when an
 * image is a cell's last expression. Nothing is loaded from the web.
 */
public final class Charts {
    private static final int WIDTH = 720, HEIGHT = 360;
    /** Series colours that colour-blind readers tell apart too (Okabe and Ito's), then black and grey. */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
            new Color(0xD55E00), new Color(0x56B4E9), new Color(0xCC79A7), Color.BLACK, new Color(0x999999)};

    private Charts() {
    }

    /** Lines through points: each series maps to {xs, ys}. */
    public static BufferedImage lines(String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(4);
        boolean many = series.size() > 4; // a row of legends would run off the image: a column beside it
        chart.getStyler().setLegendPosition(many ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(many ? Styler.LegendLayout.Vertical : Styler.LegendLayout.Horizontal);
        ordered(series).forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]));
        return image(chart);
    }

    /** Bars over named categories; several series are drawn side by side. */
    public static BufferedImage bars(String title, String xLabel, String yLabel, List<String> categories,
                                     Map<String, double[]> series) {
        return image(barChart(title, xLabel, yLabel, categories, series));
    }

    private static CategoryChart barChart(String title, String xLabel, String yLabel, List<String> categories,
                                          Map<String, double[]> series) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(series.size() > 1);
        int labelLength = categories.stream().mapToInt(String::length).sum();
        chart.getStyler().setXAxisLabelRotation(labelLength > 60 ? 45 : 0);
        ordered(series).forEach((name, values) -> chart.addSeries(name, categories,
                java.util.Arrays.stream(values).boxed().toList()));
        return chart;
    }

    /**
     * A 0/1 matrix drawn as a grid of cells, dark for 1 and light for 0, rows top to bottom, with a
     * title and labelled axes: columns numbered from 0 every 10, rows from 1 every 5.
     */
    public static BufferedImage grid(String title, String xLabel, String yLabel, double[][] cells) {
        int cell = 8, left = 70, top = 30, bottom = 45;
        int width = Math.max(left + cells[0].length * cell + 20, 320);
        BufferedImage image = new BufferedImage(width, top + cells.length * cell + bottom, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int r = 0; r < cells.length; r++) {
            for (int c = 0; c < cells[r].length; c++) {
                g.setColor(cells[r][c] > 0.5 ? new Color(40, 90, 160) : new Color(235, 235, 235));
                g.fillRect(left + c * cell, top + r * cell, cell - 1, cell - 1);
            }
        }
        g.setColor(Color.BLACK);
        g.drawString(title, left, 18);
        for (int c = 0; c < cells[0].length; c += 10) {
            g.drawString(String.valueOf(c), left + c * cell, top + cells.length * cell + 14);
        }
        for (int r = 0; r < cells.length; r += 5) {
            g.drawString(String.valueOf(r + 1), left - 22, top + r * cell + cell);
        }
        g.drawString(xLabel, left, top + cells.length * cell + 34);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(top + cells.length * cell), 20);
        g.dispose();
        return image;
    }

    /** Any XChart chart as an image. */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The series in their insertion order when it has one, else by name, so that every run draws alike. */
    private static <V> Map<String, V> ordered(Map<String, V> series) {
        return series instanceof LinkedHashMap || series instanceof SortedMap ? series : new TreeMap<>(series);
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setSeriesColors(PALETTE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setToolTipsEnabled(false);
    }
}
