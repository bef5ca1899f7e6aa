package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The course kernel's replacement for rapaio-jupyter-kernel 3.0.1's channel loop thread, with the
 * same constructor and methods. Three differences: the thread is marked running before it starts
 * (3.0.1 sets the flag after {@code Thread.start()}, so a loop could end before its first poll);
 * no loop reads a message before {@link #openAll()} says the kernel's handlers are registered
 * (3.0.1 binds and polls first, and drops or dies on an early {@code kernel_info_request}); and an
 * exception or error in one turn of the loop (an {@code OutOfMemoryError} too) is logged instead of
 * ending the loop, which would leave the kernel alive but deaf.
 */
public final class LoopThread extends Thread {
    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());
    private static final CountDownLatch HANDLERS_READY = new CountDownLatch(1);

    private volatile boolean running;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    /** Lets every loop poll its socket; called once the kernel's message handlers are registered. */
    public static void openAll() {
        HANDLERS_READY.countDown();
    }

    @Override
    public void run() {
        try {
            HANDLERS_READY.await();
            while (running) {
                turn();
                Thread.sleep(sleep);
            }
        } catch (InterruptedException e) {
            running = false;
        }
    }

    private void turn() {
        try {
            loopBody.run();
        } catch (RuntimeException | Error e) {
            if (running) {
                try {
                    LOGGER.log(Level.SEVERE, getName() + ": " + e, e);
                } catch (Error logging) { // out of memory to log with: the loop still goes on
                }
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
