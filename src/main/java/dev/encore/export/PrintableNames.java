package dev.encore.export;

/**
 * A file or ZIP-entry name (or a reason that quotes one) as it may be printed or logged: control
 * characters ({@code \n}, {@code \r}, ESC of a terminal escape...), line separators and bidi
 * overrides are written as Java escapes, so a crafted name cannot end a line of the report or the
 * log and forge the next one. Everything else, including non-Latin names, is left as it is.
 */
public final class PrintableNames {
    private PrintableNames() {
    }

    public static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder s = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            String escaped = escape(ch);
            if (escaped != null && s == null) {
                s = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (s != null) {
                s.append(escaped != null ? escaped : String.valueOf(ch));
            }
        }
        return s == null ? text : s.toString();
    }

    private static String escape(char ch) {
        switch (ch) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        int type = Character.getType(ch);
        boolean bidiControl = (ch >= '\u202a' && ch <= '\u202e') || (ch >= '\u2066' && ch <= '\u2069');
        if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || bidiControl) {
            return String.format("\\u%04x", (int) ch);
        }
        return null;
    }
}
