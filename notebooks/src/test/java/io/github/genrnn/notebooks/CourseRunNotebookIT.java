package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What {@code ./course run} says of the whole course: each notebook's time and its kernel's peak memory. */
class CourseRunNotebookIT {
    /** The kernel's memory in MB, COURSE_KERNEL_MEMORY as ./course reads it; 0 when unset. */
    private static final long BUDGET_MB = megabytes(System.getenv().getOrDefault("COURSE_KERNEL_MEMORY", "0m"));

    private static long megabytes(String size) {
        String unit = size.replaceAll("\\d", "").toLowerCase();
        long number = Long.parseLong(size.replaceAll("\\D", ""));
        return unit.equals("g") ? number * 1024 : unit.equals("m") ? number : number >> 20;
    }

    @Test
    void everyNotebookHasItsTimeAndPeakMemoryWithinTheKernelsBudget() throws IOException {
        String log = CourseRunner.course().log();
        List<String> notebooks;
        try (var files = Files.list(CourseRunner.ROOT.resolve("notebooks"))) {
            notebooks = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(log.contains(BUDGET_MB > 0 ? String.format("kernel memory %,d MB", BUDGET_MB)
                : "kernel heap 3 GB, the rest unwatched (COURSE_KERNEL_MEMORY unset)"), log);
        for (String notebook : notebooks) {
            Matcher line = Pattern.compile(Pattern.quote(notebook) + " +(\\d+) min +(\\d+) s +([\\d,]+) MB").matcher(log);
            assertTrue(line.find(), notebook + " has no line in the summary:\n" + log);
            long peak = Long.parseLong(line.group(3).replace(",", ""));
            assertTrue(peak > 100 && (BUDGET_MB == 0 || peak <= BUDGET_MB), line.group());
        }
        assertEquals(notebooks.size(), Pattern.compile("\\.ipynb +\\d+ min").matcher(log).results().count(), log);
        String saved = Files.readString(CourseRunner.course().outDir().resolve("summary.txt"));
        assertTrue(saved.startsWith("course: notebook, run time") && log.contains(saved.strip()), saved);
    }
}
