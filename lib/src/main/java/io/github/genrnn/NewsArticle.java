package io.github.genrnn;

/**
 * One row of AG News: a class label from 1 to 4 (World, Sports, Business, Sci/Tech), a title
 * and a description, exactly as the CSV file has them.
 */
public record NewsArticle(int label, String title, String description) {

    /** The class names of AG News, indexed by {@code label - 1}. */
    public static final String[] CLASSES = {"World", "Sports", "Business", "Sci/Tech"};

    /** This article with HTML entities and tags removed from its title and description. */
    public NewsArticle cleaned() {
        return new NewsArticle(label, HtmlCleaner.clean(title), HtmlCleaner.clean(description));
    }

    /** The name of this article's class. */
    public String className() {
        return CLASSES[label - 1];
    }
}
