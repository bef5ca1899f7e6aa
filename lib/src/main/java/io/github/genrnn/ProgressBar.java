package io.github.genrnn;

import java.io.PrintStream;

/**
 * A one-line progress bar that redraws itself in place (with a carriage return), in a terminal
 * and in a notebook cell alike, at most a few times a second.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private long lastDraw;
    private boolean lineOpen;

    /** A bar for {@code total} units of work ({@code total <= 0} when unknown). */
    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /** Shows that {@code done} units are done, with a short note after the bar. */
    public void update(long done, String note) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(done, note);
        }
    }

    /** Draws the final state and ends the line. */
    public void finish(long done, String note) {
        draw(done, note);
        endLine();
    }

    /** Ends the bar's line, so that other output starts on a line of its own; the next update draws anew. */
    public void endLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    private void draw(long done, String note) {
        String bar;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            bar = String.format("%3d%% [%s%s]", 100 * Math.min(done, total) / total,
                    "=".repeat(filled), " ".repeat(WIDTH - filled));
        } else {
            bar = String.valueOf(done);
        }
        out.print("\r" + label + " " + bar + (note.isEmpty() ? "" : " " + note));
        out.flush();
        lineOpen = true;
    }
}
