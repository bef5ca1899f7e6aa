package org.rapaio.jupyter.kernel.channels;

import java.util.List;
import java.util.logging.Logger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ErrorReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.ShellExecuteRequest;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The course kernel's replacement for rapaio-jupyter-kernel 3.0.1's shell channel, with the same
 * constructor and methods. It honours {@code stop_on_error} as Jupyter's own kernels do: when a
 * cell fails (or is interrupted with ■), the cells already waiting behind it — the rest of a "Run
 * All" — are answered "aborted" instead of being run. 3.0.1 ran them all.
 */
public final class ShellChannel extends AbstractChannel {
    private static final Logger LOGGER = Logger.getLogger(ShellChannel.class.getSimpleName());
    private static final long LOOP_SLEEP = 20;

    private final Channels connection;
    private volatile LoopThread loopThread;
    private volatile boolean stopOnError;
    private volatile boolean failed;

    public ShellChannel(Channels channels, ZMQ.Context context, HMACDigest hmacGenerator, Channels connection) {
        super(channels, "ShellChannel", context, SocketType.ROUTER, hmacGenerator);
        this.connection = connection;
    }

    @Override
    public void bind(ConnectionProperties connProps) {
        if (loopThread != null) {
            throw new IllegalStateException("Channel already bound.");
        }
        socket.bind(connProps.formatAddress(connProps.shellPort()));
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
        loopThread = new LoopThread("Shell", LOOP_SLEEP, () -> {
            if (poller.poll(0) > 0) {
                handle(readMessage());
                while (failed && poller.poll(0) > 0) { // the cells queued behind a failed one
                    abortOrHandle(readMessage());
                }
                failed = false;
            }
        });
        loopThread.start();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void handle(Message<?> message) {
        MessageType<?> type = message.header().type();
        MessageHandler handler = connection.getHandler(type);
        if (handler == null) {
            LOGGER.severe(logPrefix + "Unhandled message: " + type.name());
            return;
        }
        LOGGER.info(logPrefix + "Handling message: " + type.name());
        stopOnError = message.content() instanceof ShellExecuteRequest request && request.stopOnError();
        connection.setMsgId(message.getId());
        try {
            handler.handle(message);
        } catch (RuntimeException e) {
            LOGGER.severe(logPrefix + "Exception handling " + type.name() + ": " + e);
        } finally {
            connection.runAfterActions();
        }
        if (connection.isMarkedForShutdown()) {
            connection.close();
        }
    }

    private void abortOrHandle(Message<?> message) {
        if (!MessageType.SHELL_EXECUTE_REQUEST.equals(message.header().type())) {
            handle(message);
            return;
        }
        LOGGER.info(logPrefix + "Aborting an execute_request queued behind a failed cell");
        connection.setMsgId(message.getId());
        connection.publish(IOPubStatus.BUSY);
        connection.replyError(MessageType.SHELL_EXECUTE_REPLY.newError(),
                new ErrorReply("aborted", "Aborted", "An earlier cell failed or was interrupted.", List.of(), null));
        connection.publish(IOPubStatus.IDLE);
        connection.freeMsgId();
    }

    /** Sends a message; an error reply to a request that asked to stop on error starts the aborting. */
    @Override
    public synchronized void sendMessage(Message<?> message) {
        if (stopOnError && message.content() instanceof ErrorReply reply && "error".equals(reply.status())
                && MessageType.SHELL_EXECUTE_REPLY.name().equals(message.header().type().name())) {
            failed = true;
        }
        super.sendMessage(message);
    }

    @Override
    public void close() {
        if (loopThread != null) {
            loopThread.shutdown();
        }
        super.close();
    }

    @Override
    public void joinUntilClose() {
        if (loopThread != null) {
            try {
                loopThread.join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
