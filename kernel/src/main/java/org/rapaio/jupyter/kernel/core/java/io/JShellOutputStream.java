package org.rapaio.jupyter.kernel.core.java.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rapaio.jupyter.kernel.channels.Channels;

/**
 * The course kernel's replacement for rapaio-jupyter-kernel 3.0.1's stdout/stderr stream, with the
 * same constructor and methods. What a cell prints is sent by one publishing thread, never by the
 * cell's own thread: a cell's thread may be interrupted (■), and an interrupted thread that writes
 * to the kernel's sockets makes them fail ({@code ZMQException: Errno 4}). A flush returns once its
 * text is sent, so output keeps its order with the kernel's other messages.
 */
public class JShellOutputStream extends ByteArrayOutputStream {
    private static final int INITIAL_BUFFER_CAP = 1024;
    private static final ExecutorService PUBLISHER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "Output-publisher");
        thread.setDaemon(true);
        return thread;
    });

    private final boolean err;
    private volatile Channels channels;

    public JShellOutputStream(boolean err) {
        super(INITIAL_BUFFER_CAP);
        this.err = err;
    }

    public void bindChannels(Channels channels) {
        this.channels = channels;
    }

    public void unbindChannels() {
        this.channels = null;
    }

    @Override
    public void flush() {
        String contents;
        synchronized (this) {
            contents = toString(StandardCharsets.UTF_8);
            reset();
        }
        if (contents.isEmpty()) {
            return;
        }
        Channels bound = channels;
        if (bound == null) {
            throw new IllegalStateException("No bound env at flush.");
        }
        awaitUninterruptibly(PUBLISHER.submit(() -> {
            if (err) {
                bound.writeToStdErr(contents);
            } else {
                bound.writeToStdOut(contents);
            }
        }));
    }

    private static void awaitUninterruptibly(Future<?> sent) {
        boolean interrupted = false;
        while (true) {
            try {
                sent.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException("Cannot send output to the notebook", e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
