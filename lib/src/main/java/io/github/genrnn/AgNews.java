package io.github.genrnn;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The AG News data set: its train and test splits, read from a local folder or downloaded once
 * into a cache. {@link #load()} reads the folder named by {@code AG_NEWS_DIR} when it is set
 * (tests and offline machines), and otherwise downloads the canonical files into
 * {@code $GENRNN_CACHE/ag_news} ({@code ~/.cache/genrnn/ag_news} by default).
 */
public final class AgNews {
    /** Where the canonical files live; {@code train.csv} and {@code test.csv} are under it. */
    public static final URI CANONICAL_BASE =
            URI.create("https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/");
    /** The MD5 sums of the files this class knows, by file name. */
    public static final Map<String, String> MD5 = Map.of(
            "train.csv", "b1a00f826fdfbd249f79597b59e1dc12",
            "test.csv", "d52ea96a97a2d943681189a97654912d",
            "train-first-2000.csv", "e14158b472fdc6b395294b469b890765");
    /** A local folder may hold the whole train split or only its first 2,000 rows. */
    private static final List<String> TRAIN_FILES = List.of("train.csv", "train-first-2000.csv");

    private final Path trainFile;
    private final Path testFile;
    private List<NewsArticle> train;
    private List<NewsArticle> test;

    private AgNews(Path trainFile, Path testFile) {
        this.trainFile = trainFile;
        this.testFile = testFile;
    }

    /** The data in {@code AG_NEWS_DIR} if set, else the downloaded (and cached) canonical files. */
    public static AgNews load() {
        String dir = System.getenv("AG_NEWS_DIR");
        if (dir != null && !dir.isBlank()) {
            return fromDirectory(Path.of(dir));
        }
        return download(CANONICAL_BASE, cacheRoot().resolve("ag_news"), System.out);
    }

    /** The course's download cache: {@code $GENRNN_CACHE}, or {@code ~/.cache/genrnn}. */
    static Path cacheRoot() {
        String cache = System.getenv("GENRNN_CACHE");
        return cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "genrnn") : Path.of(cache);
    }

    /** The data in a local folder holding {@code test.csv} and {@code train.csv} (or {@code train-first-2000.csv}). */
    public static AgNews fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("The AG News folder " + dir.toAbsolutePath() + " does not exist."
                    + " Point AG_NEWS_DIR at a folder with train.csv and test.csv, or unset it to download them.");
        }
        Path train = TRAIN_FILES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The AG News folder " + dir.toAbsolutePath()
                        + " has neither train.csv nor train-first-2000.csv."));
        Path test = dir.resolve("test.csv");
        if (!Files.isRegularFile(test)) {
            throw new IllegalArgumentException("The AG News folder " + dir.toAbsolutePath() + " has no test.csv.");
        }
        verify(train);
        verify(test);
        return new AgNews(train, test);
    }

    /** Downloads {@code train.csv} and {@code test.csv} from {@code base} into {@code cacheDir}, once. */
    public static AgNews download(URI base, Path cacheDir, PrintStream progress) {
        try {
            Path train = new CachedDownload(base.resolve("train.csv"), cacheDir.resolve("train.csv"),
                    MD5.get("train.csv")).fetch(progress);
            Path test = new CachedDownload(base.resolve("test.csv"), cacheDir.resolve("test.csv"),
                    MD5.get("test.csv")).fetch(progress);
            return new AgNews(train, test);
        } catch (FileSystemException e) {
            throw new UncheckedIOException("Cannot write the download cache " + cacheDir.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "). Set GENRNN_CACHE to a folder you can "
                    + "write to, or AG_NEWS_DIR to a folder holding train.csv and test.csv.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static void verify(Path file) {
        String expected = MD5.get(file.getFileName().toString());
        try {
            String actual = CachedDownload.md5Of(file);
            if (!actual.equals(expected)) {
                throw new IllegalStateException(file.toAbsolutePath() + " has MD5 " + actual + ", expected " + expected
                        + ": the file is damaged or truncated. Replace it with a good copy.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The training split (120,000 articles, or the first 2,000 in a local subset). */
    public synchronized List<NewsArticle> train() {
        if (train == null) {
            train = List.copyOf(AgNewsCsv.read(trainFile));
        }
        return train;
    }

    /** The test split (7,600 articles). */
    public synchronized List<NewsArticle> test() {
        if (test == null) {
            test = List.copyOf(AgNewsCsv.read(testFile));
        }
        return test;
    }

    /** The file the training split is read from. */
    public Path trainFile() {
        return trainFile;
    }

    /** Articles as a table with the columns label, class, title and description. */
    public static Table toTable(List<NewsArticle> articles) {
        return Table.create("AG News",
                IntColumn.create("label", articles.stream().mapToInt(NewsArticle::label).toArray()),
                StringColumn.create("class", articles.stream().map(NewsArticle::className)),
                StringColumn.create("title", articles.stream().map(NewsArticle::title)),
                StringColumn.create("description", articles.stream().map(NewsArticle::description)));
    }
}
