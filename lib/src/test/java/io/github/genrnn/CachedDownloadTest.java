package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads for real, from an HTTP server on the loopback address serving the shared files. */
class CachedDownloadTest {
    private LoopbackHttpServer server;
    private URI base;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(progress, true);
    @TempDir
    Path cache;

    /** How the server answers: the whole file, half of it under the full length, or other bytes. */
    private enum Mode { WHOLE, TRUNCATED, WRONG, FAILING }

    private volatile Mode mode = Mode.WHOLE;

    @BeforeEach
    void serveSharedFiles() throws IOException {
        server = new LoopbackHttpServer(path -> {
            Path file = SharedData.dir().resolve(path);
            if (!Files.isRegularFile(file)) {
                return null;
            }
            byte[] body = readAll(file);
            return switch (mode) {
                case WHOLE -> new LoopbackHttpServer.Answer(body, body.length);
                case TRUNCATED -> new LoopbackHttpServer.Answer(Arrays.copyOf(body, body.length / 2), body.length);
                case FAILING -> new LoopbackHttpServer.Answer(500, new byte[0], 0);
                case WRONG -> {
                    body[body.length / 2] ^= 1;
                    yield new LoopbackHttpServer.Answer(body, body.length);
                }
            };
        });
        base = server.base();
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private CachedDownload testCsv() {
        return new CachedDownload(base.resolve("test.csv"), cache.resolve("test.csv"), AgNews.MD5.get("test.csv"));
    }

    @Test
    void downloadsVerifiesAndThenUsesTheCache() throws IOException {
        Path file = testCsv().fetch(out);
        assertArrayEquals(Files.readAllBytes(SharedData.dir().resolve("test.csv")), Files.readAllBytes(file));
        assertTrue(progress.toString().contains("100% ["), progress.toString());
        testCsv().fetch(out);
        assertEquals(1, server.requests.get(), "a verified cached file is not downloaded again");
        assertEquals(1, Files.list(cache).count(), "no partial files are left behind");
    }

    @Test
    void aTruncatedBodyNeverBecomesTheCachedFileAndCanBeRetried() throws IOException {
        mode = Mode.TRUNCATED;
        var e = assertThrows(IOException.class, () -> testCsv().fetch(out));
        assertTrue(e.getMessage().contains("Run again to retry"), e.getMessage());
        assertEquals(0, Files.list(cache).count(), "nothing is cached from a broken download");
        mode = Mode.WHOLE;
        assertEquals(AgNews.MD5.get("test.csv"), CachedDownload.md5Of(testCsv().fetch(out)));
    }

    @Test
    void aWrongChecksumIsReportedAndKeepsAGoodCachedFile() throws IOException {
        testCsv().fetch(out);
        mode = Mode.WRONG;
        var wrong = new CachedDownload(base.resolve("test.csv"), cache.resolve("other.csv"), AgNews.MD5.get("test.csv"));
        var e = assertThrows(IOException.class, () -> wrong.fetch(out));
        assertTrue(e.getMessage().contains("expected " + AgNews.MD5.get("test.csv")), e.getMessage());
        assertEquals(AgNews.MD5.get("test.csv"), CachedDownload.md5Of(cache.resolve("test.csv")));
        assertTrue(Files.notExists(cache.resolve("other.csv")));
    }

    @Test
    void aCorruptCachedFileIsReportedAndReplaced() throws IOException {
        Files.writeString(cache.resolve("test.csv"), "\"1\",\"not\",\"the real file\"\n");
        Path file = testCsv().fetch(out);
        assertTrue(progress.toString().contains("downloading it again"), progress.toString());
        assertEquals(AgNews.MD5.get("test.csv"), CachedDownload.md5Of(file));
    }

    @Test
    void aCorruptCachedFileSurvivesAFailedRefetch() throws IOException {
        Files.writeString(cache.resolve("test.csv"), "old bytes");
        mode = Mode.TRUNCATED;
        assertThrows(IOException.class, () -> testCsv().fetch(out));
        assertEquals("old bytes", Files.readString(cache.resolve("test.csv")));
    }

    @Test
    void httpErrorsSayWhatToDo() {
        var missing = assertThrows(IOException.class, () -> new CachedDownload(base.resolve("moved.csv"),
                cache.resolve("moved.csv"), "0").fetch(out));
        assertTrue(missing.getMessage().contains("answered HTTP 404. The file is not at this address")
                && missing.getMessage().contains("AG_NEWS_DIR"), missing.getMessage());
        mode = Mode.FAILING;
        var failing = assertThrows(IOException.class, () -> testCsv().fetch(out));
        assertTrue(failing.getMessage().contains("answered HTTP 500. It failed on its side; try again later"),
                failing.getMessage());
    }

    @Test
    void aCacheThatCannotBeWrittenNamesTheSettingsToChange() throws IOException {
        Path file = Files.writeString(cache.resolve("a-file"), "not a folder");
        var e = assertThrows(UncheckedIOException.class, () -> AgNews.download(base, file.resolve("ag_news"), out));
        assertTrue(e.getMessage().startsWith("Cannot write the download cache " + file.resolve("ag_news").toAbsolutePath())
                && e.getMessage().contains("Exception: ") && e.getMessage().contains("Set GENRNN_CACHE to a folder you can "
                + "write to, or AG_NEWS_DIR"), e.getMessage());
        assertTrue(e.getCause() != null);
    }

    @Test
    void agNewsDownloadsBothSplits() {
        var e = assertThrows(UncheckedIOException.class, () -> AgNews.download(base, cache, out));
        assertTrue(e.getMessage().contains("HTTP 404"), "the shared folder has no full train.csv: " + e.getMessage());
    }

    @Test
    void aDownloadThatCannotBeWrittenSaysWhereAndWhatToDoNotToRetry() throws IOException {
        Path notAFolder = Files.writeString(cache.resolve("a-file"), "x");
        var refused = assertThrows(IOException.class, () -> HttpDownload.fetch(base.resolve("test.csv"),
                notAFolder.resolve("test.csv"), "MD5", out, "elsewhere"));
        assertTrue(refused.getMessage().startsWith("Cannot write the download to " + notAFolder.resolve("test.csv"))
                && refused.getMessage().contains("GENRNN_CACHE") && !refused.getMessage().contains("Run again"), refused.getMessage());
    }
}
