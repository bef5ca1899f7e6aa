package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgNewsTest {

    @Test
    void aMissingFolderSaysWhatToDo() {
        var e = assertThrows(IllegalArgumentException.class, () -> AgNews.fromDirectory(Path.of("/no/such/folder")));
        assertTrue(e.getMessage().contains("AG_NEWS_DIR"), e.getMessage());
    }

    @Test
    void anEmptyFolderNamesTheMissingFiles(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> AgNews.fromDirectory(dir));
        assertTrue(e.getMessage().contains("train.csv"), e.getMessage());
    }

    @Test
    void aLocalFileWithTheWrongChecksumIsRejected(@TempDir Path dir) throws Exception {
        Files.copy(SharedData.dir().resolve("train-first-2000.csv"), dir.resolve("train-first-2000.csv"));
        byte[] test = Files.readAllBytes(SharedData.dir().resolve("test.csv"));
        Files.write(dir.resolve("test.csv"), java.util.Arrays.copyOf(test, test.length - 100));
        var e = assertThrows(IllegalStateException.class, () -> AgNews.fromDirectory(dir));
        assertTrue(e.getMessage().contains("damaged or truncated"), e.getMessage());
    }

    @Test
    void articlesBecomeATable() {
        var table = AgNews.toTable(SharedData.news().train().subList(0, 5));
        assertEquals(5, table.rowCount());
        assertEquals(java.util.List.of("label", "class", "title", "description"), table.columnNames());
        assertEquals("Business", table.stringColumn("class").get(0));
    }
}
