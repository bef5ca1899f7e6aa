package io.github.genrnn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A checkpoint folder owned by one training at a time, so that two runs never save over each
 * other. The owner writes its process id and start time into {@code .owner} in the folder; another
 * run is refused while that process lives (in this JVM too), and takes the folder over when it is
 * gone (a kernel that was killed, say).
 */
final class FolderLock implements AutoCloseable {
    static final String FILE = ".owner";
    private static final Set<Path> HELD = new HashSet<>(); // folders owned in this JVM

    private final Path dir;

    private FolderLock(Path dir) {
        this.dir = dir;
    }

    /** Owns the folder (which must exist) until {@link #close()}; refused while another live run owns it. */
    static FolderLock take(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.contains(key)) {
                throw busy(dir, "another training in this kernel");
            }
            Path file = dir.resolve(FILE);
            Optional<String> owner = liveOwner(file);
            if (owner.isPresent()) {
                throw busy(dir, owner.get());
            }
            try {
                Files.deleteIfExists(file); // a dead owner's
                Files.writeString(Files.createFile(file), ProcessHandle.current().pid() + " " + started(ProcessHandle.current()));
            } catch (FileAlreadyExistsException e) {
                throw busy(dir, "a training that started at the same moment");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot mark " + dir + " as this run's (" + e.getMessage() + ")", e);
            }
            HELD.add(key);
        }
        return new FolderLock(key);
    }

    /** Gives the folder up. */
    @Override
    public void close() {
        synchronized (HELD) {
            HELD.remove(dir);
            try {
                Files.deleteIfExists(dir.resolve(FILE));
            } catch (IOException e) {
                // a stale mark is taken over by the next run, since this process will be gone or not holding it
            }
        }
    }

    /** "process N, started at T" for an owner that is alive and not this process, or empty. */
    private static Optional<String> liveOwner(Path file) {
        String[] mark;
        try {
            mark = Files.readString(file).trim().split(" ");
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(mark[0]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            boolean same = process.isPresent() && mark.length > 1 && started(process.get()).equals(mark[1]);
            return same && pid != ProcessHandle.current().pid() ? Optional.of("process " + pid + ", started at " + mark[1])
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String started(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse("unknown");
    }

    private static IllegalStateException busy(Path dir, String owner) {
        return new IllegalStateException("The checkpoint folder " + dir + " belongs to a training that is still running ("
                + owner + "): two runs saving into one folder would overwrite each other's best model. Wait for it to "
                + "end or stop it, or give this run its own folder.");
    }
}
