package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BookTest {
    private static final String PARAGRAPH = "It was the best of times, it was the worst of times, it was the age of wisdom.\n"
            + "It was the _age_ of foolishness.\n\n";
    @TempDir
    Path dir;

    /** A Gutenberg file: BOM, \r\n, licence header and footer around paragraphs wrapped over lines. */
    private static String gutenbergFile(String edition) {
        return ("\uFEFFThe Project Gutenberg eBook\nlicence\n*** START OF THE PROJECT GUTENBERG EBOOK TEST ***\n\n\n"
                + PARAGRAPH.repeat(40) + "The end " + edition + ".\n\n*** END OF THE PROJECT GUTENBERG EBOOK TEST ***\nlicence\n")
                .replace("\n", "\r\n");
    }

    @Test
    void cleansAGutenbergFileIntoOneLinePerParagraph() {
        Book book = Book.of("test", gutenbergFile("one"));
        String paragraph = "It was the best of times, it was the worst of times, it was the age of wisdom. It was the age of foolishness.";
        assertEquals((paragraph + "\n").repeat(40) + "The end one.", book.text());
        assertEquals(book.text(), book.training() + book.heldOut());
        assertTrue(book.training().endsWith("\n") && book.heldOut().startsWith("It was"), "split at a paragraph");
        assertTrue(book.heldOut().length() <= book.text().length() / 10 + 1
                && book.heldOut().length() > book.text().length() / 10 - paragraph.length() - 1, "the last tenth");
        assertEquals(book.heldOut(), Book.of("again", gutenbergFile("one")).heldOut(), "the same split every time");
    }

    @Test
    void aTextWithoutMarkersIsTakenWhole() {
        assertEquals("“Quotes” — and dashes stay. Lines join.", Book.clean("“Quotes” — and dashes stay.\nLines   join.\n"));
        assertEquals("Emoji go: ab", Book.clean("Emoji go: a\uD83D\uDE00b"), "a character vocabulary holds Java chars only");
    }

    @Test
    void refusesEmptyBinaryNonUtf8AndShortFiles() throws IOException {
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Book.file(empty)).getMessage().contains("is empty"));
        Path binary = Files.write(dir.resolve("book.epub"), new byte[] {'P', 'K', 3, 4, 0, 1});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Book.file(binary)).getMessage()
                .contains("is not a text file: it has a NUL byte at byte 4"));
        byte[] latin1 = ("first line\nsecond line\ncaf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        Path notUtf8 = Files.write(dir.resolve("latin1.txt"), latin1);
        String message = assertThrows(IllegalArgumentException.class, () -> Book.file(notUtf8)).getMessage();
        assertTrue(message.contains("is not UTF-8: line 3") && message.contains("iconv"), message);
        Path shortFile = Files.writeString(dir.resolve("short.txt"), PARAGRAPH);
        message = assertThrows(IllegalArgumentException.class, () -> Book.file(shortFile)).getMessage();
        assertTrue(message.contains("The book has 109 characters after cleaning; the lab needs at least 2,000"), message);
        message = assertThrows(IllegalArgumentException.class, () -> Book.choose(dir.resolve("missing.txt").toString())).getMessage();
        assertTrue(message.startsWith("There is no file "), message);
    }

    @Test
    void downloadsAGutenbergBookOnceAndSaysWhenANewDownloadDiffers() throws IOException {
        AtomicReference<String> served = new AtomicReference<>(gutenbergFile("one"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (var server = new LoopbackHttpServer(path -> {
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            return path.equals("cache/epub/11/pg11.txt") ? new LoopbackHttpServer.Answer(body, body.length) : null;
        })) {
            Book first = Book.gutenberg(11, server.base(), dir, out, false);
            assertEquals("Gutenberg #11", first.name());
            assertTrue(first.text().endsWith("The end one."));
            assertTrue(log.toString().contains("Saved " + dir.resolve("pg11.txt") + " (SHA-256 "), log.toString());
            Book.gutenberg(11, server.base(), dir, out, false);
            assertEquals(1, server.requests.get(), "the second time comes from the cache");
            assertTrue(log.toString().contains("Book 11 from the cache"), log.toString());

            served.set(gutenbergFile("two"));
            assertTrue(Book.gutenberg(11, server.base(), dir, out, true).text().endsWith("The end two."));
            assertTrue(log.toString().contains("The new download differs from the cached copy"), log.toString());

            String message = assertThrows(UncheckedIOException.class, () -> Book.gutenberg(999999, server.base(), dir, out, false))
                    .getMessage();
            assertTrue(message.startsWith("Project Gutenberg has no plain-text book number 999999 (HTTP 404")
                    && message.contains("BOOK=/path/to/book.txt"), message);
            assertFalse(Files.exists(dir.resolve("pg999999.txt")));

            served.set("\0binary");
            assertThrows(IllegalArgumentException.class, () -> Book.gutenberg(11, server.base(), dir, out, true));
            served.set("<html><body>Too many requests</body></html>");
            assertThrows(IllegalArgumentException.class, () -> Book.gutenberg(11, server.base(), dir, out, true));
            assertTrue(Files.readString(dir.resolve("pg11.txt")).contains("The end two."), "a broken download never replaces the cache");
        }
    }

    @Test
    void noNetworkSaysWhatToDoInstead() throws IOException {
        try (var held = new java.net.Socket()) { // bound but not listening: connections are refused, and no other test gets the port
            held.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            var base = java.net.URI.create("http://127.0.0.1:" + held.getLocalPort() + "/");
            String message = assertThrows(UncheckedIOException.class, () -> Book.gutenberg(11, base, dir, System.out, false)).getMessage();
            assertTrue(message.startsWith("Cannot reach ") && message.contains("BOOK=/path/to/book.txt"), message);
        }
    }

    @Test
    void theSharedBooksAreCleanedAndSplit() {
        Book alice = SharedData.book("alice-in-wonderland.txt");
        assertTrue(alice.text().startsWith("[Illustration]\nAlice’s Adventures in Wonderland\nby Lewis Carroll"), alice.text());
        assertFalse(alice.text().contains("_") || alice.text().contains("\r") || alice.text().contains("\n\n"));
        assertTrue(alice.training().endsWith("\n") && alice.heldOut().length() > alice.text().length() / 11);
    }
}
