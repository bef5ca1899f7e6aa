package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLockTest {
    @TempDir
    Path dir;

    @Test
    void oneTrainingAtATimeOwnsAFolderInThisJvm() throws IOException {
        try (FolderLock first = FolderLock.take(dir)) {
            var refused = assertThrows(IllegalStateException.class, () -> FolderLock.take(dir));
            assertTrue(refused.getMessage().contains("belongs to a training that is still running (another training in this kernel)")
                    && refused.getMessage().contains("give this run its own folder"), refused.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(FolderLock.FILE)), "given up when the run ends");
        FolderLock.take(dir).close();
    }

    @Test
    void anotherLiveProcessKeepsItsFolderAndADeadOnesIsTakenOver() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            markOwnedBy(other.toHandle());
            var refused = assertThrows(IllegalStateException.class, () -> FolderLock.take(dir));
            assertTrue(refused.getMessage().contains("(process " + other.pid() + ", started at "), refused.getMessage());
        } finally {
            other.destroy();
            other.waitFor();
        }
        try (FolderLock taken = FolderLock.take(dir)) {
            assertTrue(Files.readString(dir.resolve(FolderLock.FILE)).startsWith(ProcessHandle.current().pid() + " "));
        }
    }

    @Test
    void aTrainingIsRefusedBeforeItTouchesAFolderALiveRunOwns() throws Exception {
        GeneratorTraining.of(TinyModels.SPEC.network(), TinyModels.VOCABULARY, TinyModels.SPEC, TinyModels.batches())
                .checkpoints(dir).quietly().run();
        List<Path> before = listing();
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            markOwnedBy(other.toHandle());
            assertThrows(IllegalStateException.class, () -> GeneratorTraining.of(TinyModels.SPEC.network(), TinyModels.VOCABULARY,
                    TinyModels.SPEC, TinyModels.batches()).checkpoints(dir).quietly().run());
            assertEquals(before, listing(), "the owner's checkpoints are neither moved aside nor replaced");
        } finally {
            other.destroy();
            other.waitFor();
        }
    }

    private void markOwnedBy(ProcessHandle owner) throws IOException {
        Files.writeString(dir.resolve(FolderLock.FILE),
                owner.pid() + " " + owner.info().startInstant().map(Instant::toString).orElse("unknown"));
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().equals(FolderLock.FILE)).sorted().toList();
        }
    }
}
