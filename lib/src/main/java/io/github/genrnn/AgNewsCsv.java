package io.github.genrnn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the AG News CSV format: three double-quoted fields {@code "label","title","description"}
 * per line, a quote inside a field written twice. Fields are returned as the file has them;
 * {@link NewsArticle#cleaned()} removes the markup the texts carry.
 */
final class AgNewsCsv {
    private AgNewsCsv() {
    }

    /** All articles in the file, in file order. */
    public static List<NewsArticle> read(Path file) {
        List<NewsArticle> articles = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isEmpty()) {
                    articles.add(parseLine(line, file, number));
                }
            }
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(file + " is not UTF-8 text: line " + firstNonUtf8Line(file) + " has bytes that are not "
                    + "UTF-8 (as in a Latin-1 or Windows-1252 file). AG News is UTF-8: download it again, or convert "
                    + "the file, e.g. iconv -f windows-1252 -t utf-8.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (articles.isEmpty()) {
            throw new IllegalStateException(file + " has no rows; it is empty or not an AG News CSV file");
        }
        return articles;
    }

    /** The number of the first line that is not valid UTF-8 (the reader decodes ahead, so its position does not tell). */
    private static int firstNonUtf8Line(Path file) {
        try {
            return firstNonUtf8Line(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The number of the first line of these bytes that is not valid UTF-8 (one past the last line when all are). */
    static int firstNonUtf8Line(byte[] bytes) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes, start, i - start));
                } catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        return line;
    }

    /** One line of the file as an article; the file and line number go into any error. */
    static NewsArticle parseLine(String line, Path file, int number) {
        List<String> fields = new ArrayList<>(3);
        int i = 0;
        while (i < line.length()) {
            if (line.charAt(i) != '"') {
                throw malformed(file, number, "a field does not start with a quote at column " + (i + 1));
            }
            StringBuilder field = new StringBuilder();
            i++;
            while (true) {
                if (i >= line.length()) {
                    throw malformed(file, number, "a quoted field is not closed (is the file truncated?)");
                }
                char c = line.charAt(i++);
                if (c != '"') {
                    field.append(c);
                } else if (i < line.length() && line.charAt(i) == '"') {
                    field.append('"');
                    i++;
                } else {
                    break;
                }
            }
            fields.add(field.toString());
            if (i < line.length() && line.charAt(i++) != ',') {
                throw malformed(file, number, "expected a comma after a field at column " + i);
            }
        }
        if (fields.size() != 3) {
            throw malformed(file, number, "expected 3 fields, found " + fields.size() + " (is the file truncated?)");
        }
        return new NewsArticle(parseLabel(fields.get(0), file, number), fields.get(1), fields.get(2));
    }

    private static int parseLabel(String field, Path file, int number) {
        try {
            int label = Integer.parseInt(field);
            if (label >= 1 && label <= NewsArticle.CLASSES.length) {
                return label;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw malformed(file, number, "the label '" + field + "' is not a class number from 1 to 4");
    }

    private static IllegalStateException malformed(Path file, int line, String what) {
        return new IllegalStateException(file + ", line " + line + ": " + what
                + ". Delete the file to download it again, or point AG_NEWS_DIR at a good copy.");
    }
}
