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

/** One HTTP download into a file, with a progress bar and a digest of what was received. */
final class HttpDownload {
    /** The server answered with a status other than 200 OK. */
    static final class StatusException extends IOException {
        final int status;

        StatusException(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    private HttpDownload() {
    }

    /**
     * Writes the body at {@code source} into {@code file} and returns its digest (e.g. "MD5",
     * "SHA-256") in lower-case hex. {@code elsewhere} ends the messages of errors that a retry does
     * not mend: how to get the file another way.
     */
    static String fetch(URI source, Path file, String algorithm, PrintStream progress, String elsewhere) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) source.toURL().openConnection();
        connection.setConnectTimeout(30_000);
        connection.setReadTimeout(60_000);
        try {
            int status;
            try {
                status = connection.getResponseCode();
            } catch (IOException e) {
                throw new IOException("Cannot reach " + source + " (" + e + "). Check the network, or " + elsewhere + ".", e);
            }
            if (status != HttpURLConnection.HTTP_OK) {
                throw new StatusException("Cannot download " + source + ": the server answered HTTP " + status + ". "
                        + (status >= 500 ? "It failed on its side; try again later, or " + elsewhere + "."
                        : status == 404 || status == 410 ? "The file is not at this address (it may have moved); " + elsewhere + "."
                        : "The server refused the request; try again later, or " + elsewhere + "."), status);
            }
            long length = connection.getContentLengthLong();
            MessageDigest digest = digest(algorithm);
            ProgressBar bar = new ProgressBar(progress, "Downloading " + file.getFileName(), length);
            long done = 0;
            try (InputStream in = new DigestInputStream(connection.getInputStream(), digest);
                 OutputStream out = writable(file, () -> Files.newOutputStream(file))) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IOException("interrupted");
                    }
                    int read = n;
                    writable(file, () -> {
                        out.write(buffer, 0, read);
                        return out;
                    });
                    done += n;
                    bar.update(done, megabytes(done));
                }
            } catch (WriteException e) {
                throw e;
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

    /** The digest of a file, in lower-case hex. */
    /** A download that cannot be written where it goes: retrying alone will not help. */
    static final class WriteException extends IOException {
        WriteException(String message, IOException cause) {
            super(message, cause);
        }
    }

    private interface Writing {
        OutputStream run() throws IOException;
    }

    /** Runs a write to the downloaded file, saying what to do when the disk or folder refuses it. */
    private static OutputStream writable(Path file, Writing writing) throws WriteException {
        try {
            return writing.run();
        } catch (IOException e) {
            throw new WriteException("Cannot write the download to " + file + " (" + e + "): free space there, or set "
                    + "GENRNN_CACHE to a folder with room that you can write to.", e);
        }
    }

    static String digestOf(Path file, String algorithm) throws IOException {
        MessageDigest digest = digest(algorithm);
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no " + algorithm, e);
        }
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
