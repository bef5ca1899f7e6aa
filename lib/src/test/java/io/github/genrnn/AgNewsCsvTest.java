package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgNewsCsvTest {
    private static final Path FILE = Path.of("news.csv");

    @Test
    void readsQuotedFieldsWithDoubledQuotesAndCommas() {
        NewsArticle a = AgNewsCsv.parseLine("\"2\",\"A \"\"quoted\"\", title, with commas\",\"Line one\\line two\"", FILE, 1);
        assertEquals(2, a.label());
        assertEquals("A \"quoted\", title, with commas", a.title());
        assertEquals("Line one\\line two", a.description(), "fields are kept as the file has them");
    }

    @Test
    void readsTheSharedSplitsCompletely() {
        AgNews news = SharedData.news();
        assertEquals(2000, news.train().size());
        assertEquals(7600, news.test().size());
        assertEquals("Wall St. Bears Claw Back Into the Black (Reuters)", news.train().get(0).title());
        assertEquals(3, news.train().get(0).label());
    }

    @Test
    void brokenQuotingIsReportedWithTheLine() {
        var e = assertThrows(IllegalStateException.class, () -> AgNewsCsv.parseLine("\"1\",\"no end,\"x\"", FILE, 7));
        assertTrue(e.getMessage().contains("line 7"), e.getMessage());
        var open = assertThrows(IllegalStateException.class, () -> AgNewsCsv.parseLine("\"1\",\"cut here", FILE, 9));
        assertTrue(open.getMessage().contains("not closed"), open.getMessage());
    }

    @Test
    void aTruncatedFileIsReported(@TempDir Path dir) throws Exception {
        Path whole = SharedData.dir().resolve("test.csv");
        Path cut = dir.resolve("test.csv");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(IllegalStateException.class, () -> AgNewsCsv.read(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongFieldCountsAndLabelsAreReported() {
        assertThrows(IllegalStateException.class, () -> AgNewsCsv.parseLine("\"1\",\"title only\"", FILE, 1));
        var e = assertThrows(IllegalStateException.class, () -> AgNewsCsv.parseLine("\"9\",\"t\",\"d\"", FILE, 1));
        assertTrue(e.getMessage().contains("label '9'"), e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8NamesItsLineAndTheFix(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("train.csv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 2000; i++) { // far more than the reader decodes at once
            rows.append("\"3\",\"Title ").append(i).append("\",\"Text\"\n");
        }
        rows.append("\"3\",\"Caf\u00e9 prices\",\"Text\"\n");
        Files.write(file, rows.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        var e = assertThrows(IllegalStateException.class, () -> AgNewsCsv.read(file));
        assertEquals(file + " is not UTF-8 text: line 2001 has bytes that are not UTF-8 (as in a Latin-1 or Windows-1252 "
                + "file). AG News is UTF-8: download it again, or convert the file, e.g. iconv -f windows-1252 -t utf-8.",
                e.getMessage());
    }

    @Test
    void anEmptyFileIsReported(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("train.csv"), "");
        var e = assertThrows(IllegalStateException.class, () -> AgNewsCsv.read(empty));
        assertTrue(e.getMessage().contains("no rows"), e.getMessage());
    }

    @Test
    void cleaningUndoesEntitiesTagsAndBackslashes() {
        NewsArticle raw = new NewsArticle(1, "Gets \\$1bn lift; it #39;s &lt;b&gt;big&lt;/b&gt; &amp; bold",
                "for social\\network, Ch #225;vez, Light #146;s, up to  #36;50 million, as  quot;opt-out quot;");
        NewsArticle clean = raw.cleaned();
        assertEquals("Gets $1bn lift; it's big & bold", clean.title());
        assertEquals("for social network, Chávez, Light’s, up to $50 million, as \"opt-out\"", clean.description());
    }
}
