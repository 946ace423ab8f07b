package cn.govshare;

/**
 * Reads one member of a JSON object, at its top level, without a JSON
 * library: enough for the fields this binding needs ({@code "decision"} of
 * a decision, {@code "message"}, {@code "code"} and {@code "index"} of an
 * error), and no more. It is not a general JSON parser and does not check
 * the whole document: the library's output is trusted to be JSON, this only
 * avoids being fooled by a key of the same name inside a nested value or a
 * string.
 *
 * <p>Every lookup fails closed: input it cannot follow, a missing key, a key
 * present more than once, or a value of another type gives {@code null}.
 */
final class TopLevel {
    private final String json;
    private int at;

    private TopLevel(String json) {
        this.json = json;
    }

    /** The string value of {@code key}, unescaped; {@code null} if none. */
    static String string(String json, String key) {
        Object value = member(json, key);
        return value instanceof String ? (String) value : null;
    }

    /** The value of {@code key} when it is a whole number that fits a long. */
    static Long integer(String json, String key) {
        Object value = member(json, key);
        return value instanceof Long ? (Long) value : null;
    }

    private static Object member(String json, String key) {
        if (json == null) {
            return null;
        }
        try {
            return new TopLevel(json).find(key);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static final Object ABSENT = new Object();
    private static final Object OTHER = new Object();

    private Object find(String key) {
        Object found = ABSENT;
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            return null;
        }
        for (;;) {
            skipSpace();
            String name = readString();
            skipSpace();
            expect(':');
            skipSpace();
            if (name.equals(key)) {
                if (found != ABSENT) {
                    return null; // a duplicate key: refuse to choose
                }
                found = readScalar();
            } else {
                skipValue();
            }
            skipSpace();
            char c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
        return found == ABSENT || found == OTHER ? null : found;
    }

    private Object readScalar() {
        char c = peek();
        if (c == '"') {
            return readString();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            int start = at;
            while (at < json.length() && "+-0123456789.eE".indexOf(json.charAt(at)) >= 0) {
                at++;
            }
            try {
                return Long.parseLong(json.substring(start, at));
            } catch (NumberFormatException notAWholeNumber) {
                return OTHER;
            }
        }
        skipValue();
        return OTHER;
    }

    private void skipValue() {
        int depth = 0;
        do {
            char c = peek();
            if (c == '"') {
                readString();
            } else {
                at++;
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (depth < 0) {
                        throw new IllegalArgumentException("unbalanced");
                    }
                } else if (depth == 0) {
                    // a number or a literal: runs to the next delimiter
                    while (at < json.length() && ",}] \t\r\n".indexOf(json.charAt(at)) < 0) {
                        at++;
                    }
                }
            }
            skipSpace();
        } while (depth > 0);
    }

    private String readString() {
        expect('"');
        StringBuilder out = new StringBuilder();
        for (;;) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': case '\\': case '/': out.append(e); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    int unit = 0;
                    for (int k = 0; k < 4; k++) {
                        int digit = Character.digit(next(), 16);
                        if (digit < 0) {
                            throw new IllegalArgumentException("bad \\u escape");
                        }
                        unit = unit * 16 + digit;
                    }
                    out.append((char) unit);
                    break;
                default:
                    throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private void skipSpace() {
        while (at < json.length() && " \t\r\n".indexOf(json.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        if (at >= json.length()) {
            throw new IllegalArgumentException("truncated");
        }
        return json.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }
}
