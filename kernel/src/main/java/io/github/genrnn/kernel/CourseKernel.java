package io.github.genrnn.kernel;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;

/**
 * The course's Jupyter kernel: rapaio-jupyter-kernel 3.0.1 started so that it always comes up and
 * survives ■. Its jar comes after this one on the classpath, so five of its classes are replaced:
 * {@code LoopThread} (start-up races), {@code ControlChannel} (interrupt and shutdown replies),
 * {@code ShellChannel} (cells queued behind a failed one are aborted), {@code RapaioExecutionControl}
 * (an interrupt ends the cell, not the engine) and {@code JShellOutputStream} (a cell's output is
 * sent by a thread that is never interrupted). docs/kernels.md says what each fixes. This
 * class binds the sockets, registers the handlers (and one for history requests, {@link HistoryReply})
 * and only then lets the loops read.
 *
 * <p>When a jar of {@code RJK_CLASSPATH} is missing (the course's {@code build/} folder was deleted
 * after the install) the kernel still starts, and every cell answers with what to run.
 */
public final class CourseKernel {
    private static volatile RapaioKernel serving;

    private CourseKernel() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("Usage: CourseKernel CONNECTION_FILE (Jupyter passes it)");
        }
        LogManager.getLogManager().readConfiguration(MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        ConnectionProperties connection = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        String problem = classpathProblem(System.getenv("RJK_CLASSPATH"));
        serving = problem == null ? MainApp.kernel : new InstallProblemKernel(problem);
        Channels channels = new Channels(connection);
        channels.connect(serving);
        HistoryReply.answerOn(channels);
        LoopThread.openAll();
        channels.joinUntilClose();
        System.exit(0);
    }

    /** What is wrong with the kernel's classpath, or null when every entry exists. */
    static String classpathProblem(String classpath) {
        List<String> entries = classpath == null ? List.of()
                : Arrays.stream(classpath.split(";")).filter(s -> !s.isBlank()).toList();
        List<String> missing = entries.stream().filter(e -> !new File(e).exists()).toList();
        if (entries.isEmpty() || !missing.isEmpty()) {
            String folder = missing.isEmpty() ? "(none was given)" : new File(missing.get(0)).getParent();
            return "The course kernel cannot find its libraries (" + missing.size() + " of " + entries.size()
                    + " jars are missing from " + folder + "). Was the course's build/ folder deleted? "
                    + "Run ./course install in the course folder, then restart the kernel (Kernel > Restart Kernel).";
        }
        return null;
    }

    /** Interrupts the running cell, if any; called by the control channel. */
    public static void interrupt() {
        RapaioKernel kernel = serving;
        if (kernel != null) {
            kernel.interrupt();
        }
    }

    /** Shuts the Java engine down; called by the control channel before it closes the sockets. */
    public static void shutdown() {
        RapaioKernel kernel = serving;
        if (kernel != null) {
            kernel.onShutdown();
        }
    }
}
