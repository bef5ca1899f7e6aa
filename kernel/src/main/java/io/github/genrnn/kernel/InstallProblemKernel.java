package io.github.genrnn.kernel;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ErrorReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubError;
import org.rapaio.jupyter.kernel.message.messages.IOPubExecuteInput;
import org.rapaio.jupyter.kernel.message.messages.ShellExecuteRequest;
import org.rapaio.jupyter.kernel.core.RapaioKernel;

/** A kernel that starts, but answers every cell with what is wrong with the installation and what to run. */
final class InstallProblemKernel extends RapaioKernel {
    private static final String ERROR_NAME = "CourseKernelNotInstalled";
    private final String problem;
    private final AtomicInteger count = new AtomicInteger(1);

    InstallProblemKernel(String problem) {
        this.problem = problem;
    }

    @Override
    public void handleExecuteRequest(Message<ShellExecuteRequest> message) {
        Channels channels = channels();
        int number = count.getAndIncrement();
        channels.scheduleAfter(channels::freeMsgId);
        channels.busyThenIdle();
        channels.publish(new IOPubExecuteInput(message.content().code(), number));
        channels.publish(new IOPubError(ERROR_NAME, problem, List.of(ERROR_NAME + ": " + problem)));
        channels.scheduleAfter(() -> channels.replyError(MessageType.SHELL_EXECUTE_REPLY.newError(),
                new ErrorReply(ERROR_NAME, problem, List.of(problem), number)));
    }
}
