package io.github.genrnn.kernel;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.MessageType;

/**
 * The answer to JupyterLab's {@code history_request}: an empty history, between a busy and an idle
 * status. rapaio-jupyter-kernel 3.0.1 ignores the request, and since the other requests Lab sends
 * on opening a notebook are ones whose status Lab does not track, Lab showed the kernel as
 * "Unknown" instead of "Idle" until the first cell ran.
 */
record HistoryReply(String status, List<Object> history) implements ContentType<HistoryReply> {
    private static final MessageType<HistoryReply> TYPE = new MessageType<>("history_reply", HistoryReply.class);

    @Override
    public MessageType<HistoryReply> type() {
        return TYPE;
    }

    /** Makes the channels answer history requests (3.0.1 keeps its handlers in a private map). */
    @SuppressWarnings("unchecked")
    static void answerOn(Channels channels) throws ReflectiveOperationException {
        Field field = Channels.class.getDeclaredField("handlers");
        field.setAccessible(true);
        var handlers = (Map<MessageType<?>, MessageHandler<?>>) field.get(channels);
        handlers.put(MessageType.SHELL_HISTORY_REQUEST, message -> {
            channels.busyThenIdle();
            channels.reply(new HistoryReply("ok", List.of()));
        });
    }
}
