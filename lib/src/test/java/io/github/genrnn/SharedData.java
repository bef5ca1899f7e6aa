package io.github.genrnn;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The AG News files of ../shared/data/ag_news (or AG_NEWS_DIR) and the books of ../shared/data/books, which the tests read. */
final class SharedData {
    private SharedData() {
    }

    static Path dir() {
        String env = System.getenv("AG_NEWS_DIR");
        Path dir = env != null && !env.isBlank() ? Path.of(env)
                : Path.of("").toAbsolutePath().getParent().resolveSibling("shared/data/ag_news");
        Assumptions.assumeTrue(Files.isDirectory(dir), "AG News test data not found at " + dir);
        return dir;
    }

    /** A book of ../shared/data/books, by file name. */
    static Book book(String file) {
        Path path = Path.of("").toAbsolutePath().getParent().resolveSibling("shared/data/books").resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(path), "book not found at " + path);
        return Book.file(path);
    }

    static AgNews news() {
        return AgNews.fromDirectory(dir());
    }
}
