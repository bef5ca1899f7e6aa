package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The course kernel as JupyterLab uses it: it starts every time, survives ■ and a full heap, and says when its install is gone. */
class KernelIT {
    private static final String KERNEL_DIR = CourseRunner.MODULE.resolve("target/kernel").toString();

    @TempDir
    Path dir;

    @Test
    void startsEveryTime() {
        var result = CourseRunner.course(List.of("soak", "20", "--kernel-dir", KERNEL_DIR), Map.of(), dir);
        assertEquals(0, result.exitCode(), result.log());
        assertTrue(result.log().contains("soak: 20 starts, 0 failed"), result.log());
    }

    @Test
    void anInterruptEndsTheCellAndKeepsTheKernel() {
        var result = CourseRunner.course(List.of("check-interrupt", "--kernel-dir", KERNEL_DIR), Map.of(), dir);
        assertEquals(0, result.exitCode(), result.log());
        for (String cell : List.of("sleep", "busy loop", "print loop", "training")) {
            var line = Pattern.compile("interrupt: " + cell + ": returned (\\d+\\.\\d) s after the interrupt .*; "
                    + "the next cell printed '42' in (\\d+\\.\\d) s -> ok").matcher(result.log());
            assertTrue(line.find(), cell + ":\n" + result.log());
            assertTrue(Double.parseDouble(line.group(1)) <= 5.0 && Double.parseDouble(line.group(2)) < 3.0, line.group());
        }
        assertTrue(Pattern.compile("Training was interrupted in epoch \\d+ after step \\d+").matcher(result.log()).find(),
                result.log()); // which epoch depends on how fast this machine trains in the 3 s before the interrupt
        assertTrue(result.log().contains("output: 20,000 lines printed while the reader waited 5 s, 20,000 arrived in order, then idle "
                + "status -> ok"), result.log());
        assertTrue(Pattern.compile("memory: a cell that fills the heap: answered after [\\d.]+ s \\(.*memory.*\\); with its data "
                + "freed the next cell gave '42' -> ok").matcher(result.log()).find(), result.log());
    }

    @Test
    void aKernelWhoseLibrariesAreGoneSaysWhatToRun() throws Exception {
        Path copy = dir.resolve("kernel");
        CourseRunner.copyTree(Path.of(KERNEL_DIR), copy);
        Path prefix = dir.resolve("prefix");
        var installed = CourseRunner.course(List.of("kernel", "--kernel-dir", copy.toString(), "--prefix", prefix.toString()),
                Map.of(), dir);
        assertEquals(0, installed.exitCode(), installed.log());
        CourseRunner.deleteTree(copy.resolve("classpath")); // as if build/ had been deleted after the install

        var notebook = CourseRunner.MODULE.resolve("src/test/resources/throws-in-second-cell.ipynb");
        var result = CourseRunner.python(List.of("run", "--out", dir.resolve("out").toString(), notebook.toString()),
                Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString()));
        assertEquals(1, result.exitCode(), result.log());
        assertTrue(result.log().contains("code cell 1 (cell 2) failed"), result.log());
        assertTrue(result.log().contains("The course kernel cannot find its libraries")
                && result.log().contains("Run ./course install"), result.log());
        assertTrue(Files.isRegularFile(prefix.resolve("share/jupyter/kernels/java-rnn/genrnn-kernel.jar")),
                "the kernel's own jars live in the kernelspec, so it starts without build/");
    }
}
