package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        Path ijava = Files.createDirectories(dir.resolve("jupyter/kernels/java"));
        Files.writeString(ijava.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", \"{resource_dir}/ijava-1.3.0.jar\","
                + " \"{connection_file}\"], \"display_name\": \"Java\", \"language\": \"java\"}");
        JsonObject spec = install(dir.resolve("jupyter"));
        String argv = spec.get("argv").toString();
        assertTrue(argv.contains(ijava.resolve("ijava-1.3.0.jar").toString()) && argv.contains("-Xmx3g"), argv);
        assertTrue(spec.getAsJsonObject("env").get("IJAVA_CLASSPATH").getAsString().contains("genrnn-lib-"), spec.toString());
        assertEquals("IJava", spec.getAsJsonObject("metadata").get("kernel").getAsString());
    }

    @Test
    void anInstalledJJavaGetsTheClasspathAndJvmOptionsThroughItsVariables() throws Exception {
        Path jjava = Files.createDirectories(dir.resolve("jupyter/kernels/java"));
        Files.writeString(jjava.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", \"{resource_dir}/jjava-launcher.jar\","
                + " \"{resource_dir}/jjava.jar\", \"{connection_file}\"], \"display_name\": \"Java\", \"language\": \"java\"}");
        JsonObject spec = install(dir.resolve("jupyter"));
        assertEquals(List.of("java", "-jar", jjava.resolve("jjava-launcher.jar").toString(), jjava.resolve("jjava.jar").toString(),
                "{connection_file}"), spec.getAsJsonArray("argv").asList().stream().map(e -> e.getAsString()).toList());
        JsonObject env = spec.getAsJsonObject("env");
        assertTrue(env.get("JJAVA_CLASSPATH").getAsString().contains("genrnn-lib-"), env.toString());
        assertTrue(env.get("JJAVA_JVM_OPTS").getAsString().contains("-Xmx3g"), env.toString());
        assertEquals("JJava", spec.getAsJsonObject("metadata").get("kernel").getAsString());
    }
}
