package io.github.genrnn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Everything needed to sample from a trained generator or to resume its training, in one zip
 * file: the network with its optimizer state, the vocabulary, the spec, the loss history and
 * where training stood. A checkpoint is written atomically: a crash while saving leaves the
 * previous file as it was. A SHA-256 digest of every entry is stored with it, so a damaged file
 * is refused rather than loaded with a changed vocabulary or optimizer state.
 */
public record Checkpoint(MultiLayerNetwork network, CharVocabulary vocabulary, GeneratorSpec spec,
                         LossHistory history, int epoch, long step) {
    private static final String CHECKSUMS = "checksums.properties";
    /** How many times its file's size a checkpoint's entry may inflate to. */
    private static final long INFLATION = 50;

    public Checkpoint {
        long outputs = network.getOutputLayer().getParam("W").size(1);
        if (outputs != vocabulary.size() || spec.vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("The network writes " + outputs + " symbols and the spec says "
                    + spec.vocabularySize() + ", but the vocabulary has " + vocabulary.size()
                    + ": they do not belong together.");
        }
        spec.requireDescribes(network);
    }

    /** A generator that writes with this checkpoint's network and its own vocabulary. */
    public TextGenerator generator() {
        return new TextGenerator(network, vocabulary);
    }

    /** Saves this checkpoint to a file, replacing it atomically. */
    public Path save(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try {
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, model, true);
            entries.put("network.zip", model.toByteArray());
            entries.put("vocabulary.txt", text(vocabulary::write));
            entries.put("spec.properties", text(out -> spec.toProperties().store(out, "generator spec")));
            entries.put("history.csv", text(history::write));
            Properties progress = new Properties();
            progress.setProperty("epoch", String.valueOf(epoch));
            progress.setProperty("step", String.valueOf(step));
            entries.put("progress.properties", text(out -> progress.store(out, "training progress")));
            Properties checksums = new Properties();
            entries.forEach((name, bytes) -> checksums.setProperty(name, sha256(bytes)));
            entries.put(CHECKSUMS, text(out -> checksums.store(out, "SHA-256 of every entry")));
            return AtomicFile.write(file, partial -> {
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
                    for (var entry : entries.entrySet()) {
                        zip.putNextEntry(new ZipEntry(entry.getKey()));
                        zip.write(entry.getValue());
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the checkpoint " + file.toAbsolutePath() + " (" + e.getClass()
                    .getSimpleName() + ": " + e.getMessage() + "); save it into a folder you can write to.", e);
        }
    }

    /** Loads a checkpoint saved by {@link #save}, with a clear error for a missing, truncated, damaged or foreign file. */
    public static Checkpoint load(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file (a folder, a pipe or a device); give the path of a "
                    + "checkpoint such as best.zip.");
        }
        try {
            Map<String, byte[]> entries = verifiedEntries(file);
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(
                    new ByteArrayInputStream(entries.get("network.zip")), true);
            CharVocabulary vocabulary = CharVocabulary.read(reader(entries, "vocabulary.txt"));
            Properties spec = new Properties();
            spec.load(reader(entries, "spec.properties"));
            LossHistory history = LossHistory.read(reader(entries, "history.csv"));
            Properties progress = new Properties();
            progress.load(reader(entries, "progress.properties"));
            return new Checkpoint(network, vocabulary, GeneratorSpec.fromProperties(spec), history,
                    Integer.parseInt(progress.getProperty("epoch")), Long.parseLong(progress.getProperty("step")));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UncheckedIOException("There is no checkpoint at " + file, e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The checkpoint " + file + " is truncated or damaged (" + e.getMessage()
                    + "); use an earlier checkpoint or train again.", e);
        }
    }

    /** Throws unless this checkpoint was trained with the given vocabulary. */
    public void requireVocabulary(CharVocabulary expected) {
        if (!vocabulary.equals(expected)) {
            throw new IllegalArgumentException("The checkpoint's vocabulary (" + vocabulary.size()
                    + " symbols) is not the one given (" + expected.size() + " symbols, or the same symbols in another"
                    + " order); the model would read and write the wrong characters. Use checkpoint.vocabulary() instead.");
        }
    }

    /** Every entry of the file, each checked against the digest saved with it. */
    private static Map<String, byte[]> verifiedEntries(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long largest = INFLATION * Files.size(file) + (1 << 20); // weights hardly compress; far more is not a checkpoint
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (var entry : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, largest + 1));
                    if (bytes.length > largest) {
                        throw new IOException("its entry " + entry.getName() + " inflates to more than " + largest
                                + " bytes, far more than a checkpoint of " + Files.size(file) + " bytes holds");
                    }
                    entries.put(entry.getName(), bytes);
                }
            }
        }
        if (!entries.containsKey(CHECKSUMS)) {
            throw new IOException("it has no " + CHECKSUMS + "; it is not a checkpoint of this course, or older than its checksums");
        }
        Properties checksums = new Properties();
        checksums.load(reader(entries, CHECKSUMS));
        for (String name : List.of("network.zip", "vocabulary.txt", "spec.properties", "history.csv", "progress.properties")) {
            if (!entries.containsKey(name)) {
                throw new IOException("it has no " + name);
            }
            if (!sha256(entries.get(name)).equals(checksums.getProperty(name))) {
                throw new IOException(name + " does not match its checksum");
            }
        }
        return entries;
    }

    private interface TextWriter {
        void write(Writer out) throws IOException;
    }

    private static byte[] text(TextWriter content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
        content.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static InputStreamReader reader(Map<String, byte[]> entries, String name) {
        return new InputStreamReader(new ByteArrayInputStream(entries.get(name)), StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java has no SHA-256", e);
        }
    }
}
