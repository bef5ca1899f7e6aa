package io.github.genrnn;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

    /** How long a download may wait for its next bytes before it is given up. */
    static final Duration STALL = Duration.ofSeconds(60);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .proxy(ProxySelector.getDefault())
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    private HttpDownload() {
    }

    /**
     * Writes the body at {@code source} into {@code file} and returns its digest (e.g. "MD5",
     * "SHA-256") in lower-case hex. {@code elsewhere} ends the messages of errors that a retry does
     * not mend: how to get the file another way. An interrupt (■ in a notebook) ends it at once.
     */
    static String fetch(URI source, Path file, String algorithm, PrintStream progress, String elsewhere) throws IOException {
        return fetch(source, file, algorithm, progress, elsewhere, STALL);
    }

    /** As above, giving up when no bytes arrive for {@code stall}. */
    static String fetch(URI source, Path file, String algorithm, PrintStream progress, String elsewhere,
                        Duration stall) throws IOException {
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = CLIENT.send(HttpRequest.newBuilder(source).timeout(stall).build(),
                    HttpResponse.BodyHandlers.ofPublisher());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("The download of " + source + " was interrupted before it began.");
        } catch (IOException e) {
            throw new IOException("Cannot reach " + source + " (" + e + "). Check the network, or " + elsewhere + ".", e);
        }
        Chunks chunks = new Chunks();
        response.body().subscribe(chunks);
        int status = response.statusCode();
        if (status != 200) {
            chunks.cancel();
            throw new StatusException("Cannot download " + source + ": the server answered HTTP " + status + ". "
                    + (status >= 500 ? "It failed on its side; try again later, or " + elsewhere + "."
                    : status == 404 || status == 410 ? "The file is not at this address (it may have moved); " + elsewhere + "."
                    : "The server refused the request; try again later, or " + elsewhere + "."), status);
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest digest = digest(algorithm);
        ProgressBar bar = new ProgressBar(progress, "Downloading " + file.getFileName(), length);
        long done = 0;
        try (OutputStream out = writable(file, () -> Files.newOutputStream(file))) {
            for (List<ByteBuffer> list; (list = chunks.next(stall)) != null; ) {
                for (ByteBuffer chunk : list) {
                    byte[] bytes = new byte[chunk.remaining()];
                    chunk.get(bytes);
                    digest.update(bytes);
                    writable(file, () -> {
                        out.write(bytes);
                        return out;
                    });
                    done += bytes.length;
                }
                bar.update(done, megabytes(done));
            }
        } catch (WriteException e) {
            throw e;
        } catch (IOException | InterruptedException e) {
            String why = e instanceof InterruptedException ? "interrupted" : e.getMessage();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("The download of " + source + " broke off after " + megabytes(done)
                    + " (" + why + "). Run again to retry.", e);
        } finally {
            chunks.cancel();
        }
        bar.finish(done, megabytes(done));
        if (length >= 0 && done != length) {
            throw new IOException("The download of " + source + " is truncated: " + done + " of " + length
                    + " bytes. Run again to retry.");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A body's chunks, asked for one at a time, so that the reading thread waits for each with a
     * time limit and answers an interrupt (Java 17's own body stream ignores both).
     */
    private static final class Chunks implements Flow.Subscriber<List<ByteBuffer>> {
        private static final Object END = new Object();
        private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
        private Flow.Subscription subscription;
        private boolean cancelled;

        @Override
        public synchronized void onSubscribe(Flow.Subscription given) {
            subscription = given;
            if (cancelled) {
                given.cancel();
            } else {
                given.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> chunk) {
            arrived.add(chunk);
        }

        @Override
        public void onError(Throwable error) {
            arrived.add(error);
        }

        @Override
        public void onComplete() {
            arrived.add(END);
        }

        /** The next chunk, or null at the end of the body. */
        @SuppressWarnings("unchecked")
        List<ByteBuffer> next(Duration stall) throws IOException, InterruptedException {
            Object item = arrived.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                throw new IOException("no bytes arrived for " + stall.toSeconds() + " s");
            } else if (item instanceof Throwable error) {
                throw new IOException(error.toString(), error);
            } else if (item == END) {
                return null;
            }
            synchronized (this) {
                subscription.request(1);
            }
            return (List<ByteBuffer>) item;
        }

        /** Closes the connection, at once or as soon as it is subscribed. */
        synchronized void cancel() {
            cancelled = true;
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }

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

    /** The digest of a file, in lower-case hex. */
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
