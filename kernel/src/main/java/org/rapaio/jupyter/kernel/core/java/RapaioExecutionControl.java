package org.rapaio.jupyter.kernel.core.java;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import io.github.genrnn.kernel.MemoryGuard;
import org.rapaio.jupyter.kernel.core.java.io.JShellOutputStream;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.SPIResolutionException;

/**
 * The course kernel's replacement for rapaio-jupyter-kernel 3.0.1's execution control, with the
 * same constructor, constants and methods. It runs each cell on a worker thread. An interrupt
 * interrupts that thread and waits for the cell to end, so what the cell prints while stopping
 * still reaches the notebook; a cell that ignores the interrupt (a busy loop) is stopped after
 * {@link #GRACE_MILLIS}. Unlike 3.0.1, whose interrupt shut down the executor and left the kernel
 * unable to run another cell, the kernel stays usable with every variable intact. A cell that fills
 * the Java heap is stopped at once ({@link MemoryGuard}), and one that runs out of memory answers
 * with what to do, so that the kernel's own threads keep the memory to go on.
 */
public class RapaioExecutionControl extends DirectExecutionControl {
    public static final String TIMEOUT_MARKER = "## Timeout Marker ##";
    public static final String INTERRUPTED_MARKER = "## Interrupted Marker ##";
    /** How long an interrupted cell may take to end by itself before its thread is stopped. */
    public static final long GRACE_MILLIS = 2_000;
    private static final Logger LOGGER = Logger.getLogger(RapaioExecutionControl.class.getSimpleName());
    private static final AtomicInteger ID = new AtomicInteger();

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "Engine-thread-" + ID.getAndIncrement());
        thread.setDaemon(true);
        return thread;
    });
    private final long timeoutTime;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private volatile Future<Object> running;
    private volatile Thread worker;
    private volatile boolean stoppedForMemory;

    public RapaioExecutionControl(long timeoutTime) {
        this.timeoutTime = timeoutTime;
        MemoryGuard.watch(this::stopForMemory);
    }

    public long getTimeout() {
        return timeoutTime;
    }

    /** The value of the expression run under this key; null for a statement (JShell gives it no key of ours). */
    public Object takeResult(String key) {
        return results.remove(key);
    }

    @Override
    protected String invoke(Method methodCall) throws Exception {
        String id = UUID.randomUUID().toString();
        Object value = execute(methodCall);
        if (value != null) {
            results.put(id, value);
        }
        return id;
    }

    private Object execute(Method methodCall) throws Exception {
        stoppedForMemory = false;
        Future<Object> task = executor.submit(() -> {
            worker = Thread.currentThread();
            try {
                return methodCall.invoke(null);
            } finally {
                worker = null;
                Thread.interrupted(); // an interrupt that came too late must not reach the next cell
            }
        });
        running = task;
        try {
            return timeoutTime > 0 ? task.get(timeoutTime, TimeUnit.MILLISECONDS) : task.get();
        } catch (ExecutionException e) {
            if (stoppedForMemory) {
                throw new UserException("Stopped: this cell filled the memory. " + MemoryGuard.advice(),
                        OutOfMemoryError.class.getName(), e.getCause().getStackTrace());
            }
            throw userException(e.getCause());
        } catch (CancellationException e) {
            throw new UserException("Execution interrupted, but the cell's code did not stop: it goes on in the"
                    + " background until the kernel is restarted (Kernel > Restart Kernel).", e.getClass().getName(),
                    e.getStackTrace());
        } catch (TimeoutException e) {
            interrupt();
            throw new UserException("Execution timed out", TIMEOUT_MARKER, e.getStackTrace());
        } finally {
            running = null;
            System.out.flush();
            System.err.flush();
            JShellOutputStream.drain(); // what the cell printed goes out before its result is shown
        }
    }

    private static Exception userException(Throwable cause) {
        if (cause instanceof InvocationTargetException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ThreadDeath) {
            return new UserException("Execution interrupted.", INTERRUPTED_MARKER, cause.getStackTrace());
        }
        if (cause instanceof OutOfMemoryError) {
            return new UserException(cause.getMessage() + ": this cell asked for more memory than is free. "
                    + MemoryGuard.advice(), cause.getClass().getName(), cause.getStackTrace());
        }
        Throwable inner = cause.getCause();
        for (int depth = 0; inner != null && depth < 20; inner = inner.getCause(), depth++) {
            if (inner instanceof OutOfMemoryError) { // inside a library's exception, e.g. ND4J's arrays beside the heap
                String message = String.valueOf(cause.getMessage());
                return new UserException(message + (message.contains(String.valueOf(inner.getMessage())) ? " "
                        : " (" + inner.getMessage() + ") ") + MemoryGuard.advice(), cause.getClass().getName(),
                        cause.getStackTrace());
            }
        }
        if (cause instanceof SPIResolutionException resolution) {
            return new ResolutionException(resolution.id(), cause.getStackTrace());
        }
        return new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause.getStackTrace());
    }

    /** Stops the running cell at once, without the interrupt's grace: the memory is nearly full. */
    private void stopForMemory(String what) {
        Thread thread = worker;
        if (thread == null) {
            return;
        }
        stoppedForMemory = true;
        LOGGER.warning("The kernel's memory is full (" + what + "); stopping the running cell.");
        if (!stopped(thread)) { // Java 20 and later: only an interrupt
            thread.interrupt();
        }
    }

    /** Stops the thread; false where this Java cannot (Java 20 and later). */
    @SuppressWarnings({"deprecation", "removal"})
    private static boolean stopped(Thread thread) {
        try {
            thread.stop();
            return true;
        } catch (UnsupportedOperationException | NoSuchMethodError e) {
            return false;
        }
    }

    /** Interrupts the running cell and returns once it has ended (or could not be ended). */
    public void interrupt() {
        Future<Object> task = running;
        Thread thread = worker;
        if (task == null || thread == null) {
            return;
        }
        thread.interrupt();
        if (endsWithin(task, GRACE_MILLIS)) {
            return;
        }
        LOGGER.warning("The cell ignored the interrupt for " + GRACE_MILLIS + " ms; stopping its thread.");
        if (!stopped(thread)) {
            LOGGER.warning("This Java cannot stop a thread; the cell goes on in the background.");
            task.cancel(true);
            return;
        }
        if (!endsWithin(task, GRACE_MILLIS)) {
            task.cancel(true);
        }
    }

    private static boolean endsWithin(Future<Object> task, long millis) {
        try {
            task.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | CancellationException e) {
            return true;
        }
        return true;
    }

    /** JShell's stop: interrupts a running cell (it does not shut the engine down). */
    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        super.close();
    }
}
