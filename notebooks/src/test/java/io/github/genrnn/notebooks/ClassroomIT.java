package io.github.genrnn.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Four students on a JupyterHub of this machine (scripts/classroom_test.py): each logs in, starts a
 * server and runs lesson 4 through the hub's APIs, one presses ■ in training, none can reach
 * another's files. Needs root and Debian's jupyterhub; CI installs it, elsewhere the test is skipped
 * without them.
 */
class ClassroomIT {
    private static final int STUDENTS = 4;
    private static final Pattern STUDENT = Pattern.compile(
            "genrnn-student-(\\d): server started in [\\d.]+ s, ran \\d+ s(.*), peak ([\\d,]+) MB of ([\\d,]+)");

    @Test
    void fourStudentsRunLessonFourAtOnce() {
        boolean hub = Files.isExecutable(Path.of("/usr/bin/jupyterhub")) && "root".equals(System.getProperty("user.name"));
        assumeTrue(hub || System.getenv("CI") != null, "no JupyterHub, or not root: the classroom test is skipped");
        var result = CourseRunner.course(List.of("classroom-test", String.valueOf(STUDENTS),
                "--kernel-dir", CourseRunner.MODULE.resolve("target/kernel").toString()), Map.of(), null);
        String log = result.log();
        assertEquals(0, result.exitCode(), log);
        var students = STUDENT.matcher(log).results().toList();
        assertEquals(STUDENTS, students.size(), log);
        for (var student : students) {
            int peak = Integer.parseInt(student.group(3).replace(",", ""));
            int limit = Integer.parseInt(student.group(4).replace(",", ""));
            assertTrue(peak > 100 && peak < limit, student.group() + "\n" + log);
            assertEquals(student.group(1).equals("1"), student.group(2).contains("■ in training"), student.group());
        }
        assertTrue(log.contains("genrnn-student-1's kernel was refused genrnn-student-2's files, "
                + "and its token genrnn-student-2's server (403)"), log);
        assertTrue(Pattern.compile("the slowest full run took [\\d.]+× one alone's time").matcher(log).find(), log);
        assertTrue(Pattern.compile("MB hold \\d+ students at their limit of ([\\d,]+) MB").matcher(log).find(), log);
    }
}
