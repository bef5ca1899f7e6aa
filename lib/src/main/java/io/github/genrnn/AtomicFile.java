package io.github.genrnn;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes a file so that it is either wholly replaced or left as it was: the content goes to a
 * temporary file beside the target, which is moved over the target only when the writer
 * returns normally. A crash or an exception midway leaves the old file intact, and the next
 * write of the same file deletes what a crash left behind.
 */
final class AtomicFile {
    /** Writes the content of a file, given the path to write it to. */
    @FunctionalInterface
    interface Writer {
        void write(Path partial) throws IOException;
    }

    static final Duration STALE_AFTER = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    static Path write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        deleteStalePartials(dir, target.getFileName().toString());
        Path partial = newPartial(dir, target.getFileName().toString());
        try {
            writer.write(partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** A new, empty file beside the target, with the permissions the user's umask gives (a temporary file would be 0600). */
    private static Path newPartial(Path dir, String name) throws IOException {
        while (true) {
            try {
                return Files.createFile(dir.resolve(name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".partial"));
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    /**
     * Deletes what writes of this file that never finished left behind (a killed process cannot
     * clean up). Only partial files untouched for an hour go: another process may be writing now.
     */
    private static void deleteStalePartials(Path dir, String name) throws IOException {
        Instant stale = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, name + ".*.partial")) {
            for (Path partial : partials) {
                if (Files.getLastModifiedTime(partial).toInstant().isBefore(stale)) {
                    Files.deleteIfExists(partial);
                }
            }
        }
    }
}
