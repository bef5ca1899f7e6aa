package io.github.genrnn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that it is either wholly replaced or left as it was: the content goes to a
 * temporary file beside the target, which is moved over the target only when the writer
 * returns normally. A crash or an exception midway leaves the old file intact.
 */
final class AtomicFile {
    /** Writes the content of a file, given the path to write it to. */
    @FunctionalInterface
    interface Writer {
        void write(Path partial) throws IOException;
    }

    private AtomicFile() {
    }

    static Path write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, target.getFileName() + ".", ".partial");
        try {
            writer.write(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
