package io.github.genrnn;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A book's text as word tokens and back. A token is a word (letters and digits, with apostrophes
 * inside it: {@code don’t}, {@code Alice’s}), one punctuation mark, or the paragraph break
 * {@code \n}; spaces are not tokens. Writing tokens back puts spaces between words and none before
 * closing marks ({@code . , ; : ! ? ) ” ’}), after opening ones ({@code ( “ ‘}) or around dashes; a
 * straight quote ({@code "}) opens and closes in turn within a paragraph.
 */
public final class BookWords {
    /** The paragraph-break token. */
    public static final String PARAGRAPH = "\n";
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}\\p{N}]+)*|\\n|\\S");
    private static final String CLOSING = ".,;:!?)]}”’…%", OPENING = "([{“‘", JOINING = "—–-/";

    private BookWords() {
    }

    /** The tokens of a text. */
    public static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /** Tokens written back as text. */
    public static String join(List<String> tokens) {
        StringBuilder text = new StringBuilder();
        boolean noSpace = true, insideQuote = false;
        for (String token : tokens) {
            if (token.equals(PARAGRAPH)) {
                text.append('\n');
                noSpace = true;
                insideQuote = false;
                continue;
            }
            boolean straight = token.equals("\"");
            boolean closes = straight ? insideQuote : token.length() == 1 && CLOSING.contains(token);
            boolean opens = straight ? !insideQuote : token.length() == 1 && OPENING.contains(token);
            boolean joins = token.length() == 1 && JOINING.contains(token);
            if (!noSpace && !closes && !joins) {
                text.append(' ');
            }
            text.append(token);
            noSpace = opens || joins;
            insideQuote ^= straight;
        }
        return text.toString();
    }
}
