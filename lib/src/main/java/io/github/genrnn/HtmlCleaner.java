package io.github.genrnn;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Undoes the markup left in AG News texts: numeric entities written without their ampersand
 * ({@code #39;} for an apostrophe), named entities ({@code &lt;b&gt;}, {@code &amp;}), the tags
 * they spell ({@code <b>...</b>}), backslash-escaped dollars ({@code \$}) and the lone
 * backslashes that stand for line breaks.
 */
final class HtmlCleaner {
    private static final Pattern NUMERIC = Pattern.compile("&?#(\\d{1,5});");
    private static final Map<String, String> NAMED = Map.of(
            "&lt;", "<", "&gt;", ">", "&quot;", "\"", "&apos;", "'", "&nbsp;", " ");
    private static final Pattern TAG = Pattern.compile("<[^<>]{1,200}>");
    private static final Pattern SPACES = Pattern.compile("\\s{2,}");

    private HtmlCleaner() {
    }

    static String clean(String text) {
        String s = text.replace("\\$", "$").replace('\\', ' ').replace("&amp;", "&");
        for (var entry : NAMED.entrySet()) {
            s = s.replace(entry.getKey(), entry.getValue());
        }
        Matcher numeric = NUMERIC.matcher(s);
        s = numeric.replaceAll(m -> Matcher.quoteReplacement(Character.toString(Integer.parseInt(m.group(1)))));
        s = TAG.matcher(s).replaceAll(" ");
        return SPACES.matcher(s).replaceAll(" ").trim();
    }
}
