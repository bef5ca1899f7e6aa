package io.github.genrnn.notebooks;

import io.github.genrnn.AgNews;
import io.github.genrnn.NewsArticle;
import java.nio.file.Path;
import java.util.List;

/** The training titles the notebooks read at smoke scale, for recomputing their answers. */
final class SharedTitles {
    private SharedTitles() {
    }

    static AgNews news() {
        String dir = System.getenv("AG_NEWS_DIR");
        return AgNews.fromDirectory(dir != null ? Path.of(dir) : CourseRunner.ROOT.resolveSibling("shared/data/ag_news"));
    }

    static List<String> titles() {
        return news().train().stream().map(NewsArticle::title).toList();
    }
}
