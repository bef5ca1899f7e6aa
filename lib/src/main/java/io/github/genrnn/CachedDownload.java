package io.github.genrnn;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file fetched once over HTTP and kept in a cache folder, verified by its MD5 sum. The body is
 * written with {@link AtomicFile} and accepted only when complete and verified, so a partial or
 * corrupt download never becomes the cached file, and a cached file is replaced only by a good one.
 */
record CachedDownload(URI source, Path target, String md5) {
    private static final String ELSEWHERE = "get train.csv and test.csv another way and set AG_NEWS_DIR to their folder";

    /** The cached file, downloading it first when it is missing or its checksum is wrong. */
    public Path fetch(PrintStream progress) throws IOException {
        if (Files.isRegularFile(target)) {
            String actual = md5Of(target);
            if (actual.equals(md5)) {
                return target;
            }
            progress.println("The cached " + target + " has MD5 " + actual + ", expected " + md5
                    + "; downloading it again.");
        }
        return AtomicFile.write(target, partial -> {
            String actual = HttpDownload.fetch(source, partial, "MD5", progress, ELSEWHERE);
            if (!actual.equals(md5)) {
                throw new IOException("The download of " + source + " has MD5 " + actual + ", expected " + md5
                        + ": the server sent a different or damaged file. Try again later.");
            }
        });
    }

    /** The MD5 sum of a file, as 32 lower-case hex digits. */
    public static String md5Of(Path file) throws IOException {
        return HttpDownload.digestOf(file, "MD5");
    }
}
