package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that sends the headers and a few bytes, then nothing more: the stalled network a download meets. */
class HttpDownloadTest {
    private ServerSocket server;
    private URI source;
    private final PrintStream progress = new PrintStream(PrintStream.nullOutputStream());
    @TempDir
    Path dir;

    @BeforeEach
    void serveTenBytesOfAThousand() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        source = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/book.txt");
        Thread thread = new Thread(() -> {
            try (Socket client = server.accept()) {
                var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                while (!in.readLine().isEmpty()) {
                    // the request is not needed
                }
                client.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789"
                        .getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
                in.read(); // holds the connection open until the client closes it
            } catch (IOException e) {
                // the test is over
            }
        }, "stalled-http");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aStalledDownloadIsGivenUp() {
        var e = assertThrows(IOException.class, () -> HttpDownload.fetch(source, dir.resolve("book.txt"), "MD5",
                progress, "elsewhere", Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("broke off after 0.0 MB (no bytes arrived for 1 s). Run again to retry."),
                e.getMessage());
    }

    @Test
    void anInterruptEndsAStalledDownloadAtOnce() throws InterruptedException {
        var failure = new AtomicReference<Throwable>();
        Thread reader = new Thread(() -> failure.set(assertThrows(IOException.class, () -> HttpDownload.fetch(source,
                dir.resolve("book.txt"), "MD5", progress, "elsewhere"))));
        reader.start();
        Thread.sleep(500);
        long interrupted = System.nanoTime();
        reader.interrupt();
        reader.join(5_000);
        assertFalse(reader.isAlive(), "the download still waits for bytes after an interrupt");
        assertTrue((System.nanoTime() - interrupted) / 1e9 < 2, "the interrupt took effect within 2 s");
        assertTrue(failure.get().getMessage().contains("(interrupted). Run again to retry."), failure.get().getMessage());
    }
}
