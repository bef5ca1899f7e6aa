package org.rapaio.jupyter.kernel.channels;

import org.rapaio.org.zeromq.ZMQ;

/** The loop of a channel that the course kernel replaces: it polls the socket and hands on each waiting message. */
final class ChannelLoop {
    private static final long SLEEP_MILLIS = 20;

    private volatile LoopThread thread;
    private ZMQ.Poller poller;

    /** Starts polling on a thread of this name; {@code onMessage} runs for each waiting message. */
    void start(String name, ZMQ.Context context, ZMQ.Socket socket, Runnable onMessage) {
        if (thread != null) {
            throw new IllegalStateException("Channel already bound.");
        }
        poller = context.poller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
        thread = new LoopThread(name, SLEEP_MILLIS, () -> {
            while (waiting()) {
                onMessage.run();
            }
        });
        thread.start();
    }

    /** Whether a message is waiting on the socket (call it on the loop's thread). */
    boolean waiting() {
        return poller.poll(0) > 0;
    }

    void shutdown() {
        if (thread != null) {
            thread.shutdown();
        }
    }

    void join() {
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
