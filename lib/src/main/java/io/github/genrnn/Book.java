package io.github.genrnn;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The text of a book, cleaned the same way whatever its source, and split into a training part and
 * a held-out part (the last tenth, from the start of a paragraph).
 *
 * <p>Cleaning: a byte-order mark is dropped, line ends become {@code \n}, Project Gutenberg's licence
 * header and footer are cut at the {@code *** START OF} and {@code *** END OF} lines, underscores
 * (Gutenberg's marks around italics) are removed, and each paragraph — lines up to a blank line —
 * becomes one line, its words separated by single spaces. Curly quotes, apostrophes and dashes stay;
 * characters outside Unicode's Basic Multilingual Plane (emoji and the like) are dropped, since a
 * character vocabulary of Java chars cannot hold them whole.
 *
 * <pre>{@code
 * Book alice = Book.choose("11");                 // Project Gutenberg's book 11, downloaded once
 * Book mine = Book.choose("/home/me/novel.txt");  // any UTF-8 text file
 * }</pre>
 */
public final class Book {
    /** Where Project Gutenberg keeps its plain-text files: {@code cache/epub/<n>/pg<n>.txt}. */
    static final URI GUTENBERG = URI.create("https://www.gutenberg.org/");
    /** Fewer characters than this after cleaning leave no useful held-out part. */
    static final int SHORTEST = 2_000;
    private static final Pattern START = Pattern.compile("(?m)^\\*\\*\\* ?START OF.*$");
    private static final Pattern END = Pattern.compile("(?m)^\\*\\*\\* ?END OF");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t\\u00A0]*\\n");
    private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0]+");
    private static final Pattern OUTSIDE_BMP = Pattern.compile("[^\\x{0}-\\x{FFFF}]");

    private final String name;
    private final String text;
    private final int heldOutStart;

    private Book(String name, String text) {
        this.name = name;
        this.text = text;
        this.heldOutStart = heldOutStart(text);
    }

    /** A Gutenberg book by its number ("11"), or a text file by its path. */
    public static Book choose(String choice) {
        String trimmed = choice.trim();
        if (trimmed.matches("\\d{1,9}")) {
            return gutenberg(Integer.parseInt(trimmed));
        }
        return file(Path.of(trimmed));
    }

    /** Project Gutenberg's book with this number, downloaded once into the course's cache. */
    public static Book gutenberg(int number) {
        return gutenberg(number, GUTENBERG, AgNews.cacheRoot().resolve("books"), System.out, false);
    }

    /** Downloads Gutenberg's book again and says whether it differs from the cached copy. */
    public static Book downloadAgain(int number) {
        return gutenberg(number, GUTENBERG, AgNews.cacheRoot().resolve("books"), System.out, true);
    }

    /**
     * The book downloaded from {@code base} into {@code cacheDir} (or read from there when cached and
     * {@code again} is false). A new download is compared with the cached copy by SHA-256, and the
     * difference is reported: Gutenberg edits its files now and then.
     */
    static Book gutenberg(int number, URI base, Path cacheDir, PrintStream out, boolean again) {
        if (number < 1) {
            throw new IllegalArgumentException("Gutenberg books are numbered from 1, not " + number + ".");
        }
        Path cached = cacheDir.resolve("pg" + number + ".txt");
        URI source = base.resolve("cache/epub/" + number + "/pg" + number + ".txt");
        try {
            String before = Files.isRegularFile(cached) ? HttpDownload.digestOf(cached, "SHA-256") : null;
            if (before == null || again) {
                AtomicFile.write(cached, partial -> {
                    String received = download(source, partial, number, out);
                    new Book("check", clean(decode(Files.readAllBytes(partial), source.toString()))); // no book, no cache
                    out.println(before == null ? "Saved " + cached + " (SHA-256 " + received + ")."
                            : before.equals(received) ? "The new download is the same as the cached copy (SHA-256 " + received + ")."
                            : "The new download differs from the cached copy (SHA-256 " + before + " before, " + received
                            + " now): Gutenberg has edited the file; the new one replaces it.");
                });
            } else {
                out.println("Book " + number + " from the cache: " + cached + " (SHA-256 " + before + ").");
            }
            return new Book("Gutenberg #" + number, clean(decode(Files.readAllBytes(cached), cached.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static String download(URI source, Path partial, int number, PrintStream out) throws IOException {
        String elsewhere = "give the path of a UTF-8 text file of the book instead (BOOK=/path/to/book.txt)";
        try {
            return HttpDownload.fetch(source, partial, "SHA-256", out, elsewhere);
        } catch (HttpDownload.StatusException e) {
            if (e.status == 404) {
                throw new IOException("Project Gutenberg has no plain-text book number " + number + " (HTTP 404 for " + source
                        + "). Check the number at https://www.gutenberg.org/ebooks/" + number + ", or " + elsewhere + ".", e);
            }
            throw e;
        }
    }

    /** A UTF-8 text file: a book of your own, or one downloaded by hand. */
    public static Book file(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("There is no file " + path.toAbsolutePath() + "; give the path of a UTF-8 text "
                    + "file, or a Project Gutenberg book number.");
        }
        try {
            String name = path.getFileName().toString();
            return new Book(name, clean(decode(Files.readAllBytes(path), path.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** A book from text already in memory (cleaned like a file). */
    public static Book of(String name, String raw) {
        return new Book(name, clean(raw));
    }

    /** The bytes as UTF-8 text, refused with the cause when they are empty, binary or another encoding. */
    static String decode(byte[] bytes, String where) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException(where + " is empty; choose a file with the book's text.");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new IllegalArgumentException(where + " is not a text file: it has a NUL byte at byte " + i
                        + " (UTF-16 text, an e-book, a PDF or an archive?). Give a plain UTF-8 text file (Gutenberg's \"Plain Text"
                        + " UTF-8\").");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(where + " is not UTF-8: line " + AgNewsCsv.firstNonUtf8Line(bytes)
                    + " has bytes that are not. Save it as UTF-8 (e.g. iconv -f latin1 -t utf-8 book.txt > book-utf8.txt).", e);
        }
    }

    /** The book's text as the lab reads it: see the class comment. */
    static String clean(String raw) {
        String text = OUTSIDE_BMP.matcher(raw.replace("\uFEFF", "")).replaceAll("").replace("\r\n", "\n").replace('\r', '\n');
        var start = START.matcher(text);
        if (start.find()) {
            text = text.substring(start.end());
        }
        var end = END.matcher(text);
        if (end.find()) {
            text = text.substring(0, end.start());
        }
        return Arrays.stream(BLANK_LINES.split(text.replace("_", "")))
                .map(paragraph -> SPACES.matcher(paragraph).replaceAll(" ").strip())
                .filter(paragraph -> !paragraph.isEmpty())
                .collect(Collectors.joining("\n"));
    }

    /** The held-out part starts with the first paragraph that starts at or after 90% of the text. */
    private static int heldOutStart(String text) {
        if (text.length() < SHORTEST) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "The book has %,d characters after cleaning; the lab needs "
                    + "at least %,d, so that its last tenth can be held out. Choose a longer text.", text.length(), SHORTEST));
        }
        int tenth = (int) (text.length() * 9L / 10);
        int paragraph = text.indexOf('\n', tenth - 1);
        return paragraph >= 0 && paragraph < text.length() - SHORTEST / 20 ? paragraph + 1 : tenth;
    }

    /** Where the book came from: a file name or "Gutenberg #n". */
    public String name() {
        return name;
    }

    /** The whole cleaned text. */
    public String text() {
        return text;
    }

    /** The first nine tenths, to train on. */
    public String training() {
        return text.substring(0, heldOutStart);
    }

    /** The last tenth, from the start of a paragraph: never trained on, only scored. */
    public String heldOut() {
        return text.substring(heldOutStart);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %,d characters in %,d paragraphs (%,d to train on, %,d held out)", name,
                text.length(), text.chars().filter(c -> c == '\n').count() + 1, heldOutStart, text.length() - heldOutStart);
    }
}
