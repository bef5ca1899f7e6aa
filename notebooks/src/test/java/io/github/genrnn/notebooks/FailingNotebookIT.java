package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Notebooks whose second code cell throws or ends the kernel: the run must fail and say where and why. */
class FailingNotebookIT {
    private static final Path OUT = CourseRunner.MODULE.resolve("target/failing");

    /** A test notebook run on its own; it must fail. */
    private static CourseRunner.Result failing(String name) {
        CourseRunner.Result result = CourseRunner.run(OUT, List.of(CourseRunner.MODULE.resolve("src/test/resources/" + name)));
        assertEquals(1, result.exitCode(), result.log());
        return result;
    }

    @Test
    void aThrowingCellFailsTheRunAndIsNamed() throws Exception {
        CourseRunner.Result result = failing("throws-in-second-cell.ipynb");
        assertTrue(result.log().contains("throws-in-second-cell.ipynb: code cell 2"), result.log());
        assertTrue(result.log().contains("java.lang.IllegalStateException: the vocabulary is empty"), result.log());
        var executed = ExecutedNotebook.read(OUT.resolve("throws-in-second-cell.ipynb"));
        assertTrue(executed.cell("first cell").text().contains("first cell ran"));
        assertFalse(executed.cell("never runs").text().contains("third cell ran"), "cells after a failure must not run");
        assertTrue(Files.exists(OUT.resolve("throws-in-second-cell.html")));
    }

    @Test
    void aKernelThatDiesIsNamedWithItsNotebookAndCell() throws Exception {
        CourseRunner.Result result = failing("exits-in-second-cell.ipynb");
        assertTrue(result.log().contains("exits-in-second-cell.ipynb: code cell 2 (cell 3) failed")
                && result.log().contains("the kernel died while it ran this cell"), result.log());
        assertFalse(result.log().contains("Traceback"), result.log());
        assertTrue(ExecutedNotebook.read(OUT.resolve("exits-in-second-cell.ipynb")).cell("first cell").text()
                .contains("first cell ran"), "what ran before is kept");
    }

    @Test
    void aKernelKilledByItsMemoryCapIsNamedWithTheCap() throws Exception {
        Path probe = Path.of(Files.isRegularFile(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "/sys/fs/cgroup"
                : "/sys/fs/cgroup/memory").resolve("genrnn-test-probe");
        try {
            Files.createDirectory(probe);
            Files.delete(probe);
        } catch (java.io.IOException e) {
            Assumptions.abort("no cgroup can be made here (" + e + "), so no cap can be set");
        }
        var result = CourseRunner.course(List.of("run", "--kernel-dir", CourseRunner.MODULE.resolve("target/kernel").toString(),
                "--out", OUT.toString(), CourseRunner.MODULE.resolve("src/test/resources/outgrows-its-cap.ipynb").toString()),
                java.util.Map.of("COURSE_MEMORY_CAP", "400m"), OUT);
        assertEquals(1, result.exitCode(), result.log());
        assertTrue(result.log().contains("outgrows-its-cap.ipynb: code cell 2 (cell 3) failed") && result.log().contains(
                "the kernel was killed for crossing the memory cap of 400 MB (COURSE_MEMORY_CAP)"), result.log());
        assertTrue(result.log().contains("held to 400 MB by a cgroup"), result.log());
    }

    @Test
    void wrongArgumentsAreRefusedBeforeAnythingIsBuilt() {
        var bogus = CourseRunner.course(List.of("run", "--bogus"), java.util.Map.of(), OUT);
        assertEquals(2, bogus.exitCode(), bogus.log());
        assertTrue(bogus.log().contains("unrecognized arguments: --bogus") && !bogus.log().contains("kernelspec"), bogus.log());
        var missing = CourseRunner.course(List.of("run", "notebooks/no-such-lesson.ipynb"), java.util.Map.of(), OUT);
        assertEquals(1, missing.exitCode(), missing.log());
        assertTrue(missing.log().contains("course: no such notebook: ") && !missing.log().contains("Traceback"), missing.log());
        var timeout = CourseRunner.course(List.of("run", "--check-only"), java.util.Map.of("COURSE_CELL_TIMEOUT", "abc"), OUT);
        assertEquals(1, timeout.exitCode(), timeout.log());
        assertTrue(timeout.log().contains("COURSE_CELL_TIMEOUT must be a whole number of seconds above 0, not 'abc'"), timeout.log());
        var cap = CourseRunner.course(List.of("run", "--check-only"), java.util.Map.of("COURSE_MEMORY_CAP", "lots"), OUT);
        assertEquals(1, cap.exitCode(), cap.log());
        assertTrue(cap.log().contains("COURSE_MEMORY_CAP must be a size such as 1g or 1536m, not 'lots'"), cap.log());
    }
}
