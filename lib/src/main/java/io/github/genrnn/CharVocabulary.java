package io.github.genrnn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The symbols a character-level model reads and writes. Index 0 is padding, indices 1 to
 * {@code n} are the characters seen in the training texts, most frequent first (ties broken by
 * character code, so the order is the same on every run), and index {@code n + 1} is the
 * end-of-sequence symbol {@code <eos>}. A character never seen in training cannot be encoded:
 * {@link #encode} names the offending characters instead of guessing.
 */
public final class CharVocabulary {
    /** The index of the padding symbol. */
    public static final int PAD = 0;
    /** How padding and end-of-sequence are shown when decoded for people. */
    public static final String PAD_NAME = "<pad>", EOS_NAME = "<eos>";
    private static final String HEADER = "genrnn-char-vocabulary 1";

    private final char[] chars;          // chars[i - 1] is the character at index i
    private final long[] counts;         // counts[i - 1] is how often it occurred in training
    private final Map<Character, Integer> indexOf = new HashMap<>();

    private CharVocabulary(char[] chars, long[] counts) {
        this.chars = chars;
        this.counts = counts;
        for (int i = 0; i < chars.length; i++) {
            indexOf.put(chars[i], i + 1);
        }
    }

    /** The vocabulary of every character in these texts. */
    public static CharVocabulary fromTexts(Collection<String> texts) {
        Map<Character, Long> frequency = new HashMap<>();
        for (String text : texts) {
            for (int i = 0; i < text.length(); i++) {
                frequency.merge(text.charAt(i), 1L, Long::sum);
            }
        }
        long outsideBmp = frequency.entrySet().stream().filter(e -> Character.isHighSurrogate(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        if (outsideBmp > 0) { // a Java char holds half of such a character: a generator would write halves
            int example = texts.stream().flatMapToInt(String::codePoints).filter(c -> c > 0xD7FF && c < 0xE000
                    || Character.isSupplementaryCodePoint(c)).findFirst().orElseThrow();
            throw new IllegalArgumentException(String.format("The texts hold %,d characters outside Unicode's Basic "
                    + "Multilingual Plane (emoji and the like, such as %s, U+%X), which a character vocabulary of Java chars "
                    + "cannot hold whole. Remove or replace them first, e.g. text.replaceAll(\"[^\\\\x{0}-\\\\x{FFFF}]\", \"\").",
                    outsideBmp, Character.toString(example), example));
        }
        if (frequency.isEmpty()) {
            throw new IllegalArgumentException("Cannot build a vocabulary from " + texts.size()
                    + " texts with no characters: the corpus is empty.");
        }
        var ordered = frequency.entrySet().stream()
                .sorted(Map.Entry.<Character, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
        char[] chars = new char[ordered.size()];
        long[] counts = new long[ordered.size()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ordered.get(i).getKey();
            counts[i] = ordered.get(i).getValue();
        }
        return new CharVocabulary(chars, counts);
    }

    /** How many symbols there are: the characters plus padding and {@code <eos>}. */
    public int size() {
        return chars.length + 2;
    }

    /** The index of {@code <eos>}, the last one. */
    public int eos() {
        return chars.length + 1;
    }

    /** Whether every character of the text has an index. */
    public boolean covers(String text) {
        return text.chars().allMatch(c -> indexOf.containsKey((char) c));
    }

    /** The characters of the text that this vocabulary lacks, each once, in code order. */
    String unknownCharacters(String text) {
        return text.chars().filter(c -> !indexOf.containsKey((char) c)).collect(TreeSet<Integer>::new, TreeSet::add, TreeSet::addAll)
                .stream().map(c -> Character.toString(c)).collect(Collectors.joining());
    }

    /** The indices of the text's characters (no {@code <eos>} is added). */
    public int[] encode(String text) {
        int[] indices = new int[text.length()];
        for (int i = 0; i < indices.length; i++) {
            Integer index = indexOf.get(text.charAt(i));
            if (index == null) {
                throw unknown(text);
            }
            indices[i] = index;
        }
        return indices;
    }

    private IllegalArgumentException unknown(String text) {
        String unknown = unknownCharacters(text);
        String listed = unknown.chars().mapToObj(c -> String.format("'%c' (U+%04X)", c, c)).collect(Collectors.joining(", "));
        return new IllegalArgumentException("The vocabulary has no " + listed + ", found in \"" + text
                + "\". Remove or replace these characters, or build the vocabulary from texts that have them.");
    }

    /** The text spelled by these indices; padding is skipped and {@code <eos>} ends it. */
    public String decode(int... indices) {
        StringBuilder text = new StringBuilder(indices.length);
        for (int index : indices) {
            if (index == eos()) {
                break;
            }
            if (index != PAD) {
                text.append(charAt(index));
            }
        }
        return text.toString();
    }

    /** The character at an index of a character (1 to {@code size() - 2}). */
    public char charAt(int index) {
        if (index < 1 || index > chars.length) {
            throw new IndexOutOfBoundsException("Index " + index + " is not a character; characters are 1 to " + chars.length);
        }
        return chars[index - 1];
    }

    /** The symbol at any index as people read it: the character, {@code <pad>} or {@code <eos>}. */
    public String symbol(int index) {
        return index == PAD ? PAD_NAME : index == eos() ? EOS_NAME : String.valueOf(charAt(index));
    }

    /** How often the character at an index occurred in the training texts (0 for padding and {@code <eos>}). */
    public long count(int index) {
        return index >= 1 && index <= chars.length ? counts[index - 1] : 0;
    }

    /** Every symbol with its index and training count, in index order. */
    public Table frequencies() {
        int[] index = java.util.stream.IntStream.range(0, size()).toArray();
        return Table.create("symbol frequencies",
                IntColumn.create("index", index),
                StringColumn.create("symbol", Arrays.stream(index).mapToObj(this::shown)),
                IntColumn.create("count", Arrays.stream(index).map(i -> (int) count(i)).toArray()));
    }

    /** The symbol with white space made visible, for tables and charts. */
    public String shown(int index) {
        String symbol = symbol(index);
        return switch (symbol) {
            case " " -> "␣";
            case "\t" -> "\\t";
            case "\n" -> "\\n";
            default -> symbol;
        };
    }

    /** Writes this vocabulary as text: a header line, then one line per character with its code and count. */
    public void write(Writer out) throws IOException {
        out.write(HEADER + "\n");
        for (int i = 0; i < chars.length; i++) {
            out.write((int) chars[i] + "\t" + counts[i] + "\n");
        }
        out.flush();
    }

    /** Reads a vocabulary written by {@link #write}. */
    public static CharVocabulary read(Reader in) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        if (!HEADER.equals(lines.readLine())) {
            throw new IOException("Not a character vocabulary: the first line should be '" + HEADER + "'");
        }
        var rows = lines.lines().filter(l -> !l.isEmpty()).map(l -> l.split("\t")).toList();
        char[] chars = new char[rows.size()];
        long[] counts = new long[rows.size()];
        try {
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) Integer.parseInt(rows.get(i)[0]);
                counts[i] = Long.parseLong(rows.get(i)[1]);
            }
        } catch (RuntimeException e) {
            throw new IOException("A damaged vocabulary line: " + e.getMessage(), e);
        }
        if (chars.length == 0) {
            throw new IOException("The vocabulary has no characters");
        }
        return new CharVocabulary(chars, counts);
    }

    /** Saves this vocabulary to a file. */
    public void save(Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the vocabulary to " + file, e);
        }
    }

    /** Loads a vocabulary saved by {@link #save}. */
    public static CharVocabulary load(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load a vocabulary from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharVocabulary v && Arrays.equals(chars, v.chars) && Arrays.equals(counts, v.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(chars);
    }

    @Override
    public String toString() {
        return "CharVocabulary(" + size() + " symbols: " + PAD_NAME + ", " + chars.length + " characters, " + EOS_NAME + ")";
    }
}
