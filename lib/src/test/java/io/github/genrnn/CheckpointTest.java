package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private Checkpoint checkpoint() {
        LossHistory history = new LossHistory();
        history.addTrain(1, 10, 2.5, 3.25);
        history.addValidation(1, 10, 2.7, 3.25);
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
    void aGruGeneratorIsSavedAndLoadedAsAGru() {
        MultiLayerNetwork trained = TinyModels.trainedOnAb(TinyModels.GRU_SPEC, 40).network();
        Path file = new Checkpoint(trained, TinyModels.VOCABULARY, TinyModels.GRU_SPEC, new LossHistory(), 40, 160)
                .save(dir.resolve("gru.zip"));
        Checkpoint loaded = Checkpoint.load(file);
        assertEquals(TinyModels.GRU_SPEC, loaded.spec());
        assertTrue(loaded.network().getLayer(0).conf().getLayer() instanceof GRU);
        assertEquals(trained.params(), loaded.network().params());
        assertEquals("ab", loaded.generator().greedy("a", 10));
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
    void partialFilesLeftByAKilledWriteAreCleanedUp() throws IOException {
        Path file = dir.resolve("last.zip");
        Path stale = Files.write(dir.resolve("last.zip.123.partial"), new byte[1000]);
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(AtomicFile.STALE_AFTER).minusSeconds(60)));
        Path recent = Files.write(dir.resolve("last.zip.456.partial"), new byte[1000]); // perhaps still being written
        Path other = Files.write(dir.resolve("best.zip.789.partial"), new byte[1000]);
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(stale));
        checkpoint().save(file);
        assertTrue(Files.notExists(stale), "a stale partial of the same file is deleted");
        assertTrue(Files.exists(recent) && Files.exists(other), "a recent one, and another file's, are left alone");
    }

    @Test
    void aSavedFileHasThePermissionsTheUmaskGives() throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return; // permissions as POSIX has them only
        }
        Path file = checkpoint().save(dir.resolve("best.zip"));
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file), "not 0600 regardless");
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

    @Test
    void aDamagedByteAnywhereIsRefusedOrChangesNothing() throws IOException {
        Checkpoint saved = checkpoint();
        Path file = saved.save(dir.resolve("best.zip"));
        byte[] good = Files.readAllBytes(file);
        int refused = 0;
        for (int at = 0; at < good.length; at += 97) {
            byte[] damaged = good.clone();
            damaged[at] ^= 0x10;
            Files.write(file, damaged);
            try {
                Checkpoint loaded = Checkpoint.load(file);
                // only bytes that carry no content (such as a local header's timestamp) may load, and then unchanged
                assertEquals(saved.network().params(), loaded.network().params(), "byte " + at);
                assertEquals(saved.network().getUpdater().getStateViewArray(), loaded.network().getUpdater().getStateViewArray());
                assertEquals(saved.vocabulary(), loaded.vocabulary(), "byte " + at);
                assertEquals(saved.history().train(), loaded.history().train(), "byte " + at);
            } catch (IllegalStateException e) {
                assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > good.length / 97 / 2, "most damaged bytes are refused: " + refused);
    }

    @Test
    void aSpecThatContradictsItsNetworkIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Checkpoint(TinyModels.SPEC.withLayers(2).network(),
                TinyModels.VOCABULARY, TinyModels.SPEC, new LossHistory(), 0, 0));
        assertTrue(e.getMessage().startsWith("The spec (1 × LSTM(16) over 6 symbols: 2 layers, "), e.getMessage());
        assertTrue(e.getMessage().contains("does not describe the network (3 layers"), e.getMessage());
    }

    @Test
    void resumingWithTheSameSymbolsInAnotherOrderIsRefused() {
        CharVocabulary scrambled = CharVocabulary.fromTexts(List.of("cccc bbb aa"));
        assertEquals(TinyModels.VOCABULARY.size(), scrambled.size());
        assertTrue(!scrambled.equals(TinyModels.VOCABULARY));
        var e = assertThrows(IllegalArgumentException.class, () -> GeneratorTraining.resume(checkpoint(),
                TitleBatches.of(TinyModels.TITLES, scrambled, 4)));
        assertTrue(e.getMessage().contains("training batches are encoded with another vocabulary"), e.getMessage());
        var validation = assertThrows(IllegalArgumentException.class, () -> GeneratorTraining.resume(checkpoint(),
                TinyModels.batches()).validation(TitleBatches.of(TinyModels.TITLES, scrambled, 4)));
        assertTrue(validation.getMessage().contains("validation batches"), validation.getMessage());
        assertEquals(checkpoint().generator().greedy("a", 5), new TextGenerator(checkpoint().network(),
                TinyModels.VOCABULARY).greedy("a", 5), "a checkpoint's generator pairs its own network and vocabulary");
    }

    @Test
    void anEntryThatInflatesFarBeyondItsFileAndAPathThatIsNoFileAreRefused() throws Exception {
        Path bomb = dir.resolve("bomb.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("network.zip"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) { // 100 MB of zeros: a few hundred kB on disk
                zip.write(zeros);
            }
        }
        var inflated = assertThrows(IllegalStateException.class, () -> Checkpoint.load(bomb));
        assertTrue(inflated.getMessage().contains("inflates to more than") && inflated.getMessage().contains("truncated or damaged"),
                inflated.getMessage());
        var folder = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(dir));
        assertTrue(folder.getMessage().contains("is not a file"), folder.getMessage());
    }
}
