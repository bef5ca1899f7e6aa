package org.rapaio.jupyter.kernel.channels;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Logger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.java.io.JShellOutputStream;
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
 * All" — are answered "aborted" instead of being run. 3.0.1 ran them all. The waiting cells are
 * taken off the socket just before the failed cell's reply goes out, so a cell sent after the
 * client saw the failure runs as usual. Before any reply, the cell's printed output still waiting
 * to be sent goes out ({@link JShellOutputStream#drain()}), so that it never follows the reply.
 */
public final class ShellChannel extends AbstractChannel {
    private static final Logger LOGGER = Logger.getLogger(ShellChannel.class.getSimpleName());
    private final ChannelLoop loop = new ChannelLoop();
    private final Deque<Message<?>> behindFailure = new ArrayDeque<>();
    private boolean stopOnError;

    /** The last argument is 3.0.1's: {@link Channels} passes itself twice, and {@code channels} serves. */
    public ShellChannel(Channels channels, ZMQ.Context context, HMACDigest hmacGenerator, Channels connection) {
        super(channels, "ShellChannel", context, SocketType.ROUTER, hmacGenerator);
    }

    @Override
    public void bind(ConnectionProperties connProps) {
        socket.bind(connProps.formatAddress(connProps.shellPort()));
        loop.start("Shell", ctx, socket, () -> {
            handle(readMessage());
            while (!behindFailure.isEmpty()) {
                abortOrHandle(behindFailure.poll());
            }
        });
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void handle(Message<?> message) {
        MessageType<?> type = message.header().type();
        MessageHandler handler = channels.getHandler(type);
        if (handler == null) {
            LOGGER.severe(logPrefix + "Unhandled message: " + type.name());
            return;
        }
        LOGGER.info(logPrefix + "Handling message: " + type.name());
        stopOnError = message.content() instanceof ShellExecuteRequest request && request.stopOnError();
        channels.setMsgId(message.getId());
        try {
            handler.handle(message);
        } catch (RuntimeException e) {
            LOGGER.severe(logPrefix + "Exception handling " + type.name() + ": " + e);
        } finally {
            channels.runAfterActions();
        }
        if (channels.isMarkedForShutdown()) {
            channels.close();
        }
    }

    private void abortOrHandle(Message<?> message) {
        if (!MessageType.SHELL_EXECUTE_REQUEST.equals(message.header().type())) {
            handle(message);
            return;
        }
        LOGGER.info(logPrefix + "Aborting an execute_request queued behind a failed cell");
        channels.setMsgId(message.getId());
        channels.publish(IOPubStatus.BUSY);
        channels.replyError(MessageType.SHELL_EXECUTE_REPLY.newError(),
                new ErrorReply("aborted", "Aborted", "An earlier cell failed or was interrupted.", List.of(), null));
        channels.publish(IOPubStatus.IDLE);
        channels.freeMsgId();
    }

    /** Sends a message; before the error reply to a request that asked to stop on error, takes the waiting ones. */
    @Override
    public synchronized void sendMessage(Message<?> message) {
        JShellOutputStream.drain();
        if (stopOnError && message.content() instanceof ErrorReply reply && "error".equals(reply.status())
                && MessageType.SHELL_EXECUTE_REPLY.name().equals(message.header().type().name())) {
            stopOnError = false;
            while (loop.waiting()) {
                behindFailure.add(readMessage());
            }
        }
        super.sendMessage(message);
    }

    @Override
    public void close() {
        loop.shutdown();
        super.close();
    }

    @Override
    public void joinUntilClose() {
        loop.join();
    }
}
