package io.github.genrnn.notebooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code ./course run} on notebooks through the kernel this module packaged, as a reader would. */
final class CourseRunner {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.getParent();
    /** The scale the notebooks run at: COURSE_SCALE, smoke unless set. */
    static final String SCALE = System.getenv().getOrDefault("COURSE_SCALE", "smoke");
    /** The book the lab reads: BOOK, or the shared copy of Alice. */
    static final Path BOOK = Path.of(System.getenv().getOrDefault("BOOK",
            ROOT.resolveSibling("shared/data/books/alice-in-wonderland.txt").toString()));
    private static Result course;

    /** What a run printed and how it ended. */
    record Result(int exitCode, String log, Path outDir) {
        ExecutedNotebook notebook(String name) {
            if (exitCode != 0) {
                throw new AssertionError("The course run failed (exit " + exitCode + "):\n" + log);
            }
            return ExecutedNotebook.read(outDir.resolve(name + ".ipynb"));
        }
    }

    private CourseRunner() {
    }

    /** Every notebook of the course, executed once per test JVM into target/executed. */
    static synchronized Result course() {
        if (course == null) {
            course = run(MODULE.resolve("target/executed"), List.of());
        }
        return course;
    }

    /** The given notebooks executed into outDir, with their exercises' solutions. */
    static Result run(Path outDir, List<Path> notebooks) {
        List<String> arguments = new ArrayList<>(List.of("run", "--kernel-dir", MODULE.resolve("target/kernel").toString(),
                "--out", outDir.toString(), "--solutions"));
        notebooks.forEach(n -> arguments.add(n.toString()));
        return course(arguments, java.util.Map.of(), outDir);
    }

    /** {@code ./course} with these arguments and extra environment variables. */
    static Result course(List<String> arguments, java.util.Map<String, String> environment, Path outDir) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("course").toString()));
        command.addAll(arguments);
        return start(command, environment, outDir);
    }

    /** {@code scripts/course.py} itself, run by the course's Python (to use an installed kernelspec as is). */
    static Result python(List<String> arguments, java.util.Map<String, String> environment) {
        String python = start(List.of(ROOT.resolve("course").toString(), "python"), java.util.Map.of(), null)
                .log().strip().lines().reduce((first, last) -> last).orElseThrow();
        List<String> command = new ArrayList<>(List.of(python, ROOT.resolve("scripts/course.py").toString()));
        command.addAll(arguments);
        return start(command, environment, null);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private static Result start(List<String> command, java.util.Map<String, String> environment, Path outDir) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().putIfAbsent("COURSE_SCALE", "smoke");
        Path shared = ROOT.resolveSibling("shared/data/ag_news");
        if (Files.isDirectory(shared)) {
            builder.environment().putIfAbsent("AG_NEWS_DIR", shared.toString());
        }
        builder.environment().putIfAbsent("BOOK", BOOK.toString());
        try {
            Process process = builder.start();
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), log, outDir);
        } catch (IOException e) {
            throw new AssertionError("Cannot start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }
}
