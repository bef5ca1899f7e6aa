package io.github.genrnn;

import java.nio.charset.Charset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Undoes the markup left in AG News texts: numeric entities whose ampersand became a space
 * ({@code doesn #39;t}; codes 128 to 159 are Windows-1252, as in {@code #146;}), named entities ({@code &lt;b&gt;}, {@code &amp;}), the tags
 * they spell ({@code <b>...</b>}), backslash-escaped dollars ({@code \$}) and the lone
 * backslashes that stand for line breaks.
 */
final class HtmlCleaner {
    private static final Pattern NUMERIC = Pattern.compile("[ &]?#(\\d{1,5});");
    private static final Map<String, String> NAMED = Map.of(
            "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", " ", "hellip", "…", "rsquo", "’", "amp", "&");
    private static final Pattern NAMED_ENTITY = Pattern.compile("[ &](lt|gt|quot|apos|nbsp|hellip|rsquo|amp);");
    private static final Pattern TAG = Pattern.compile("<[^<>]{1,200}>");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Pattern SPACES = Pattern.compile("\\s{2,}");

    private HtmlCleaner() {
    }

    static String clean(String text) {
        String s = text.replace("\\$", "$").replace('\\', ' ');
        for (int i = 0; i < 2; i++) { // twice, for "&amp;lt;"
            s = NAMED_ENTITY.matcher(s).replaceAll(m -> Matcher.quoteReplacement(NAMED.get(m.group(1))));
        }
        Matcher numeric = NUMERIC.matcher(s);
        s = numeric.replaceAll(m -> Matcher.quoteReplacement(character(Integer.parseInt(m.group(1)))));
        s = TAG.matcher(s).replaceAll(" ");
        return SPACES.matcher(s).replaceAll(" ").trim();
    }

    private static String character(int code) {
        if (code >= 128 && code < 160) {
            return new String(new byte[] {(byte) code}, WINDOWS_1252);
        }
        return Character.isValidCodePoint(code) ? Character.toString(code) : "";
    }
}
