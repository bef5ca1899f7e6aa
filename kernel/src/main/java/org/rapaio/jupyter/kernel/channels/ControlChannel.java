package org.rapaio.jupyter.kernel.channels;

import io.github.genrnn.kernel.CourseKernel;
import java.util.logging.Logger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;
import org.rapaio.jupyter.kernel.message.messages.ControlShutdownReply;
import org.rapaio.jupyter.kernel.message.messages.ControlShutdownRequest;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * The course kernel's replacement for rapaio-jupyter-kernel 3.0.1's control channel. It answers
 * interrupt and shutdown requests itself, on the control socket. In 3.0.1 the control handlers took
 * over the message id and the pending actions of the cell that was running, so after an interrupt
 * that cell's reply went to nobody and the notebook waited forever.
 */
public final class ControlChannel extends AbstractChannel {
    private static final Logger LOGGER = Logger.getLogger(ControlChannel.class.getSimpleName());
    private final ChannelLoop loop = new ChannelLoop();

    public ControlChannel(Channels channels, ZMQ.Context context, HMACDigest hmacGenerator) {
        super(channels, "ControlChannel", context, SocketType.ROUTER, hmacGenerator);
    }

    @Override
    public void bind(ConnectionProperties connProps) {
        socket.bind(connProps.formatAddress(connProps.controlPort()));
        loop.start("Control", ctx, socket, () -> handle(readMessage()));
    }

    private void handle(Message<?> message) {
        MessageType<?> type = message.header().type();
        LOGGER.info(logPrefix + "Handling message: " + type.name());
        if (MessageType.CONTROL_INTERRUPT_REQUEST.equals(type)) {
            CourseKernel.interrupt();
            sendMessage(new Message<>(message.getId(), MessageType.CONTROL_INTERRUPT_REPLY, new ControlInterruptReply()));
        } else if (MessageType.CONTROL_SHUTDOWN_REQUEST.equals(type)) {
            boolean restart = ((ControlShutdownRequest) message.content()).restart();
            CourseKernel.shutdown();
            sendMessage(new Message<>(message.getId(), MessageType.CONTROL_SHUTDOWN_REPLY,
                    new ControlShutdownReply(restart)));
            channels.close();
        } else {
            LOGGER.severe(logPrefix + "Unhandled message: " + type.name());
        }
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
