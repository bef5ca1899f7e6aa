package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private Checkpoint checkpoint() {
        LossHistory history = new LossHistory();
        history.addTrain(1, 10, 2.5);
        history.addValidation(1, 10, 2.7);
        return new Checkpoint(TinyModels.SPEC.network(), TinyModels.VOCABULARY, TinyModels.SPEC, history, 1, 10);
    }

    @Test
    void savesAndLoadsEverything() {
        Checkpoint saved = checkpoint();
        Path file = saved.save(dir.resolve("best.zip"));
        Checkpoint loaded = Checkpoint.load(file);
        assertEquals(saved.network().params(), loaded.network().params());
        assertEquals(saved.network().getUpdater().getStateViewArray(), loaded.network().getUpdater().getStateViewArray());
        assertEquals(TinyModels.VOCABULARY, loaded.vocabulary());
        assertEquals(TinyModels.SPEC, loaded.spec());
        assertEquals(saved.history().validation(), loaded.history().validation());
        assertEquals(saved.history().train(), loaded.history().train());
        assertEquals(1, loaded.epoch());
        assertEquals(10, loaded.step());
    }

    @Test
    void aTruncatedFileGetsAClearError() throws IOException {
        Path file = checkpoint().save(dir.resolve("best.zip"));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(IllegalStateException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
        var missing = assertThrows(RuntimeException.class, () -> Checkpoint.load(dir.resolve("none.zip")));
        assertTrue(missing.getMessage().contains("no checkpoint"), missing.getMessage());
    }

    @Test
    void aCrashMidWriteLeavesThePreviousCheckpointIntact() throws IOException {
        Path file = checkpoint().save(dir.resolve("best.zip"));
        byte[] before = Files.readAllBytes(file);
        assertThrows(IOException.class, () -> AtomicFile.write(file, partial -> {
            Files.write(partial, new byte[] {1, 2, 3});
            throw new IOException("the machine lost power");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), Files.list(dir).toList(), "no partial file is left");
        Checkpoint.load(file);
    }

    @Test
    void aVocabularyThatDoesNotMatchIsRefused() {
        CharVocabulary other = CharVocabulary.fromTexts(List.of("xyz"));
        var e = assertThrows(IllegalArgumentException.class, () -> checkpoint().requireVocabulary(other));
        assertTrue(e.getMessage().contains("not the one given"), e.getMessage());
        CharVocabulary larger = CharVocabulary.fromTexts(List.of("abcdefgh "));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint(TinyModels.SPEC.network(), larger, TinyModels.SPEC, new LossHistory(), 0, 0));
    }
}
