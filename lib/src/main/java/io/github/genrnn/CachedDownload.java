package io.github.genrnn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file fetched once over HTTP and kept in a cache folder, verified by its MD5 sum. The body is
 * written with {@link AtomicFile} and accepted only when complete and verified, so a partial or
 * corrupt download never becomes the cached file, and a cached file is replaced only by a good one.
 */
record CachedDownload(URI source, Path target, String md5) {

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
            String actual = download(partial, progress);
            if (!actual.equals(md5)) {
                throw new IOException("The download of " + source + " has MD5 " + actual + ", expected " + md5
                        + ": the server sent a different or damaged file. Try again later.");
            }
        });
    }

    private String download(Path partial, PrintStream progress) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) source.toURL().openConnection();
        connection.setConnectTimeout(30_000);
        connection.setReadTimeout(60_000);
        try {
            int status;
            try {
                status = connection.getResponseCode();
            } catch (IOException e) {
                throw new IOException("Cannot reach " + source + " (" + e + "). Check the network, or set"
                        + " AG_NEWS_DIR to a folder with a local copy.", e);
            }
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("Cannot download " + source + ": the server answered HTTP " + status + ". "
                        + (status >= 500 ? "It failed on its side; try again later, or set AG_NEWS_DIR to a folder with"
                                + " a local copy."
                        : "The file is not at this address (it may have moved); get train.csv and test.csv another way"
                                + " and set AG_NEWS_DIR to their folder."));
            }
            long length = connection.getContentLengthLong();
            MessageDigest digest = newMd5();
            ProgressBar bar = new ProgressBar(progress, "Downloading " + target.getFileName(), length);
            long done = 0;
            try (InputStream in = new DigestInputStream(connection.getInputStream(), digest);
                 OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    done += n;
                    bar.update(done, megabytes(done));
                }
            } catch (IOException e) {
                throw new IOException("The download of " + source + " broke off after " + megabytes(done)
                        + " (" + e.getMessage() + "). Run again to retry.", e);
            }
            bar.finish(done, megabytes(done));
            if (length >= 0 && done != length) {
                throw new IOException("The download of " + source + " is truncated: " + done + " of " + length
                        + " bytes. Run again to retry.");
            }
            return HexFormat.of().formatHex(digest.digest());
        } finally {
            connection.disconnect();
        }
    }

    /** The MD5 sum of a file, as 32 lower-case hex digits. */
    public static String md5Of(Path file) throws IOException {
        MessageDigest digest = newMd5();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no MD5", e);
        }
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
