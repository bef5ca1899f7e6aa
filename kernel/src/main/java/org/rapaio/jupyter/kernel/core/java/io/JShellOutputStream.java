package org.rapaio.jupyter.kernel.core.java.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.rapaio.jupyter.kernel.channels.Channels;

/**
 * The course kernel's replacement for rapaio-jupyter-kernel 3.0.1's stdout/stderr stream, with the
 * same constructor and methods. What a cell prints is sent by one publishing thread, never by the
 * cell's own thread: a cell's thread may be interrupted (■), and an interrupted thread that writes
 * to the kernel's sockets makes them fail ({@code ZMQException: Errno 4}). Text flushed within
 * {@link #BATCH_MILLIS} goes out as one message: one message per printed line overflowed the
 * output socket's queue, which then dropped lines without a word. {@link #drain()} sends what is
 * waiting and returns once it is sent; the kernel calls it before a cell's result and reply, so
 * output keeps its order with them.
 */
public class JShellOutputStream extends ByteArrayOutputStream {
    /** How long printed text may wait to be sent with what follows it. */
    public static final long BATCH_MILLIS = 20;
    private static final int INITIAL_BUFFER_CAP = 1024;
    private static final Logger LOGGER = Logger.getLogger(JShellOutputStream.class.getSimpleName());
    private static final ScheduledExecutorService PUBLISHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "Output-publisher");
        thread.setDaemon(true);
        return thread;
    });
    private static final List<Chunk> WAITING = new ArrayList<>(); // in printing order; guarded by itself
    private static boolean sendScheduled;                          // guarded by WAITING

    private final boolean err;
    private volatile Channels channels;

    /** Text waiting for one stream of one connection. */
    private record Chunk(Channels channels, boolean err, StringBuilder text) {
    }

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
        synchronized (WAITING) {
            Chunk last = WAITING.isEmpty() ? null : WAITING.get(WAITING.size() - 1);
            if (last != null && last.channels() == bound && last.err() == err) {
                last.text().append(contents);
            } else {
                WAITING.add(new Chunk(bound, err, new StringBuilder(contents)));
            }
            if (!sendScheduled) {
                sendScheduled = true;
                PUBLISHER.schedule(JShellOutputStream::send, BATCH_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends every flushed text now and returns once it is sent (without being interruptible). */
    public static void drain() {
        Future<?> sent = PUBLISHER.submit(JShellOutputStream::send);
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

    /** On the publishing thread: one message for each run of text to one stream. */
    private static void send() {
        List<Chunk> chunks;
        synchronized (WAITING) {
            chunks = new ArrayList<>(WAITING);
            WAITING.clear();
            sendScheduled = false;
        }
        for (Chunk chunk : chunks) {
            try {
                if (chunk.err()) {
                    chunk.channels().writeToStdErr(chunk.text().toString());
                } else {
                    chunk.channels().writeToStdOut(chunk.text().toString());
                }
            } catch (RuntimeException e) {
                LOGGER.log(Level.SEVERE, "Cannot send output to the notebook: " + e, e);
            }
        }
    }
}
