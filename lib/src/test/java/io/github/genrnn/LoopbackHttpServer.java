package io.github.genrnn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A minimal HTTP/1.0 server on the loopback address for download tests. Each answer is a body
 * and the length it claims; a body shorter than its claim is sent and the connection closed,
 * as a broken network does.
 */
final class LoopbackHttpServer implements AutoCloseable {
    /** What the server sends for a path: a status, the bytes and the Content-Length it declares; null for 404. */
    record Answer(int status, byte[] body, long declaredLength) {
        Answer(byte[] body, long declaredLength) {
            this(200, body, declaredLength);
        }
    }

    private final ServerSocket socket;
    private final Function<String, Answer> answers;
    final AtomicInteger requests = new AtomicInteger();

    LoopbackHttpServer(Function<String, Answer> answers) throws IOException {
        this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.answers = answers;
        Thread thread = new Thread(this::serve, "loopback-http");
        thread.setDaemon(true);
        thread.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                String path = in.readLine().split(" ")[1].substring(1);
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    // headers are not needed
                }
                requests.incrementAndGet();
                Answer answer = answers.apply(path);
                OutputStream out = client.getOutputStream();
                if (answer == null) {
                    out.write("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    out.write(("HTTP/1.0 " + answer.status() + " Status\r\nContent-Length: " + answer.declaredLength() + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(answer.body());
                }
                out.flush();
            } catch (IOException | RuntimeException e) {
                // a closed server socket ends the loop; a broken client is ignored
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
