package io.millwright.siteconfig.internal;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Turns the text values of a site file into the typed values a component's metatype declares, checking each as the
 * metatype says (type, range, options): an attribute the component does not have, or a value it would refuse, is
 * named with the reason, and nothing of the file is applied.
 */
final class AttributeValues {

    private AttributeValues() {
    }

    /** A refused value. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * @param file the site file
     * @param ocd the metatype of its PID, or null if no installed bundle declares one (values are kept as text, arrays
     *     in the {@code ["a","b"]} form become string arrays)
     * @return the properties to apply
     * @throws Refused naming the attribute, the value and the reason
     */
    static Hashtable<String, Object> typed(SiteFile file, ObjectClassDefinition ocd) throws Refused {
        Hashtable<String, Object> out = new Hashtable<>();
        AttributeDefinition[] ads = ocd == null ? new AttributeDefinition[0] : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (Map.Entry<String, String> e : file.values().entrySet()) {
            String key = e.getKey();
            String text = e.getValue();
            if (ocd == null) {
                out.put(key, looksLikeArray(text) ? strings(file, key, text) : unquote(text));
                continue;
            }
            AttributeDefinition ad = null;
            for (AttributeDefinition a : ads) {
                if (a.getID().equals(key)) {
                    ad = a;
                }
            }
            if (ad == null) {
                List<String> known = new ArrayList<>();
                for (AttributeDefinition a : ads) {
                    known.add(a.getID());
                }
                throw new Refused("attribute '" + key + "' is unknown to " + file.pid() + "; known: " + known);
            }
            if (ad.getCardinality() != 0) {
                List<String> items = looksLikeArray(text) ? List.of(strings(file, key, text)) : List.of(unquote(text));
                Object array = Array.newInstance(javaType(ad.getType()), items.size());
                for (int i = 0; i < items.size(); i++) {
                    Array.set(array, i, value(file, ad, items.get(i)));
                }
                out.put(key, array);
            } else {
                out.put(key, value(file, ad, unquote(text)));
            }
        }
        return out;
    }

    private static boolean looksLikeArray(String text) {
        return text.startsWith("[") && text.endsWith("]");
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }

    private static String[] strings(SiteFile file, String key, String text) throws Refused {
        JsonArray array;
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            array = r.readArray();
        } catch (RuntimeException e) {
            throw new Refused(key + "=" + text + " is not a list: expected [\"a\", \"b\"] (" + e.getMessage() + ")");
        }
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonValue v = array.get(i);
            out[i] = v instanceof JsonString s ? s.getString() : v.toString();
        }
        return out;
    }

    private static Object value(SiteFile file, AttributeDefinition ad, String text) throws Refused {
        String problem = ad.validate(text);
        if (problem != null && !problem.isEmpty()) {
            throw new Refused(ad.getID() + "=" + text + " refused: " + problem + describe(ad));
        }
        try {
            return switch (ad.getType()) {
                case AttributeDefinition.INTEGER -> Integer.valueOf(text.trim());
                case AttributeDefinition.LONG -> Long.valueOf(text.trim());
                case AttributeDefinition.SHORT -> Short.valueOf(text.trim());
                case AttributeDefinition.BYTE -> Byte.valueOf(text.trim());
                case AttributeDefinition.DOUBLE -> Double.valueOf(text.trim());
                case AttributeDefinition.FLOAT -> Float.valueOf(text.trim());
                case AttributeDefinition.BOOLEAN -> {
                    if (!text.trim().equalsIgnoreCase("true") && !text.trim().equalsIgnoreCase("false")) {
                        throw new NumberFormatException("not true or false");
                    }
                    yield Boolean.valueOf(text.trim());
                }
                case AttributeDefinition.CHARACTER -> {
                    if (text.length() != 1) {
                        throw new NumberFormatException("not one character");
                    }
                    yield text.charAt(0);
                }
                default -> text;
            };
        } catch (NumberFormatException e) {
            throw new Refused(ad.getID() + "=" + text + " refused: " + typeName(ad.getType()) + " expected" + describe(ad));
        }
    }

    private static String describe(AttributeDefinition ad) {
        String d = ad.getDescription();
        return d == null || d.isBlank() ? "" : " (" + d + ")";
    }

    private static Class<?> javaType(int type) {
        return switch (type) {
            case AttributeDefinition.INTEGER -> Integer.class;
            case AttributeDefinition.LONG -> Long.class;
            case AttributeDefinition.SHORT -> Short.class;
            case AttributeDefinition.BYTE -> Byte.class;
            case AttributeDefinition.DOUBLE -> Double.class;
            case AttributeDefinition.FLOAT -> Float.class;
            case AttributeDefinition.BOOLEAN -> Boolean.class;
            case AttributeDefinition.CHARACTER -> Character.class;
            default -> String.class;
        };
    }

    private static String typeName(int type) {
        return javaType(type).getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
