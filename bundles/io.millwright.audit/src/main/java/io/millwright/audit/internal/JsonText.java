package io.millwright.audit.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The small JSON the trail is written in: one object per line whose values are strings, whole numbers or objects of
 * strings. Written with keys in a fixed order so that the recorded text is what the hash covers.
 */
public final class JsonText {

    private JsonText() {
    }

    /**
     * @param out where to append
     * @param s a string, written quoted and escaped
     */
    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * @param out where to append
     * @param map written as an object with its keys sorted
     */
    public static void object(StringBuilder out, Map<String, String> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(':');
            string(out, e.getValue());
        }
        out.append('}');
    }

    /**
     * @param text one object
     * @return its members: strings, {@link Long}s and maps of strings
     * @throws IllegalArgumentException naming the offset where the text stops being what the trail writes
     */
    public static Map<String, Object> parse(String text) {
        Parser p = new Parser(text);
        Map<String, Object> map = p.object(true);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("text after the object");
        }
        return map;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Map<String, Object> object(boolean nested) {
            expect('{');
            Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                char c = peek();
                Object value;
                if (c == '"') {
                    value = string();
                } else if (c == '{' && nested) {
                    value = object(false);
                } else if (c == '-' || (c >= '0' && c <= '9')) {
                    value = number();
                } else {
                    throw error("a string" + (nested ? ", number or object" : ""));
                }
                if (map.put(key, value) != null) {
                    throw error("no repeated key '" + key + "'");
                }
                skipSpace();
                char next = next();
                if (next == '}') {
                    return map;
                }
                if (next != ',') {
                    pos--;
                    throw error("',' or '}'");
                }
            }
        }

        Long number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            try {
                return Long.valueOf(s.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("a whole number");
            }
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = next();
                    switch (e) {
                        case '"', '\\', '/' -> b.append(e);
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (pos + 4 > s.length()) {
                                throw error("four hex digits");
                            }
                            try {
                                b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                            } catch (NumberFormatException x) {
                                throw error("four hex digits");
                            }
                            pos += 4;
                        }
                        default -> throw error("an escape");
                    }
                } else {
                    b.append(c);
                }
            }
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        char peek() {
            if (pos >= s.length()) {
                throw error("more text");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (peek() != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("expected " + expected + " at offset " + pos);
        }
    }
}
