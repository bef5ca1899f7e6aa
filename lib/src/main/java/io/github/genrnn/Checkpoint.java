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
 * previous file as it was.
 */
public record Checkpoint(MultiLayerNetwork network, CharVocabulary vocabulary, GeneratorSpec spec,
                         LossHistory history, int epoch, long step) {

    public Checkpoint {
        long outputs = network.getOutputLayer().getParam("W").size(1);
        if (outputs != vocabulary.size() || spec.vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("The network writes " + outputs + " symbols and the spec says "
                    + spec.vocabularySize() + ", but the vocabulary has " + vocabulary.size()
                    + ": they do not belong together.");
        }
    }

    /** Saves this checkpoint to a file, replacing it atomically. */
    public Path save(Path file) {
        try {
            return AtomicFile.write(file, partial -> {
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
                    zip.putNextEntry(new ZipEntry("network.zip"));
                    ByteArrayOutputStream model = new ByteArrayOutputStream();
                    ModelSerializer.writeModel(network, model, true);
                    zip.write(model.toByteArray());
                    Writer text = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
                    zip.putNextEntry(new ZipEntry("vocabulary.txt"));
                    vocabulary.write(text);
                    zip.putNextEntry(new ZipEntry("spec.properties"));
                    spec.toProperties().store(text, "generator spec");
                    zip.putNextEntry(new ZipEntry("history.csv"));
                    history.write(text);
                    zip.putNextEntry(new ZipEntry("progress.properties"));
                    Properties progress = new Properties();
                    progress.setProperty("epoch", String.valueOf(epoch));
                    progress.setProperty("step", String.valueOf(step));
                    progress.store(text, "training progress");
                    text.flush();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads a checkpoint saved by {@link #save}, with a clear error for a missing, truncated or foreign file. */
    public static Checkpoint load(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            MultiLayerNetwork network;
            try (InputStream model = entry(zip, "network.zip")) {
                network = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.readAllBytes()), true);
            }
            CharVocabulary vocabulary = CharVocabulary.read(reader(zip, "vocabulary.txt"));
            Properties spec = new Properties();
            spec.load(reader(zip, "spec.properties"));
            LossHistory history = LossHistory.read(reader(zip, "history.csv"));
            Properties progress = new Properties();
            progress.load(reader(zip, "progress.properties"));
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
                    + " symbols) is not the one given (" + expected.size() + " symbols); the model would"
                    + " read and write the wrong characters. Use checkpoint.vocabulary() instead.");
        }
    }

    private static InputStream entry(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException("it has no " + name);
        }
        return zip.getInputStream(entry);
    }

    private static InputStreamReader reader(ZipFile zip, String name) throws IOException {
        return new InputStreamReader(entry(zip, name), StandardCharsets.UTF_8);
    }
}
