package io.millwright.scoring.weka.internal;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Java deserialization of {@code model.weka} behind an allow-list ({@link ObjectInputFilter}): Weka's own classes,
 * the boxed numbers, strings and enums of {@code java.lang}, the collections of {@code java.util} (not its
 * sub-packages), {@code java.text} formats (Weka's date attributes) and arrays of these; anything else — the gadget
 * classes of known deserialization exploits, {@code java.net.URL}, reflection, scripting — stops the read. Depth,
 * array length, references and bytes are capped too. Classes resolve through this bundle's class loader, where Weka
 * lives. Replaces Weka's {@code SerializationHelper.readAll}, whose stream takes no filter.
 */
final class ModelObjectInput {

    static final long MAX_DEPTH = 1_000;
    static final long MAX_ARRAY = 50_000_000;
    static final long MAX_REFERENCES = 100_000_000;
    private static final Set<String> JAVA_LANG = Set.of("java.lang.Object", "java.lang.Number", "java.lang.Integer", "java.lang.Long",
            "java.lang.Double", "java.lang.Float", "java.lang.Short", "java.lang.Byte", "java.lang.Boolean", "java.lang.Character",
            "java.lang.String", "java.lang.Enum");

    private ModelObjectInput() {
    }

    /** The verdict on one class (null: none, e.g. a primitive array element). */
    static boolean allowed(Class<?> c) {
        Class<?> k = c;
        while (k.isArray()) {
            k = k.getComponentType();
        }
        if (k.isPrimitive()) {
            return true;
        }
        String name = k.getName();
        String pkg = k.getPackageName();
        return name.startsWith("weka.") || JAVA_LANG.contains(name) || pkg.equals("java.util") || pkg.equals("java.text");
    }

    static ObjectInputFilter filter(long maxBytes, String[] why) {
        return info -> {
            String over = info.depth() > MAX_DEPTH ? "depth " + info.depth() + " over " + MAX_DEPTH
                    : info.arrayLength() > MAX_ARRAY ? "an array of " + info.arrayLength() + " over " + MAX_ARRAY
                    : info.references() > MAX_REFERENCES ? info.references() + " references over " + MAX_REFERENCES
                    : info.streamBytes() > maxBytes ? "more bytes than the entry has" : null;
            if (over != null) {
                why[0] = over;
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            if (allowed(c)) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            why[0] = "class " + c.getName() + " is not allowed in a model";
            return ObjectInputFilter.Status.REJECTED;
        };
    }

    /**
     * @param bytes a stream of serialized objects
     * @param loader where classes resolve
     * @return every object in it, in order
     * @throws InvalidClassException naming the class or limit the filter refused (in its message)
     * @throws IOException when the stream is not readable
     * @throws ClassNotFoundException for a class Weka 3.8.7 does not have
     */
    static Object[] readAll(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
        List<Object> out = new ArrayList<>();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            String[] why = new String[1];
            in.setObjectInputFilter(filter(bytes.length, why));
            while (true) {
                try {
                    out.add(in.readObject());
                } catch (EOFException end) {
                    return out.toArray();
                } catch (InvalidClassException e) {
                    throw new InvalidClassException(why[0] == null ? e.getMessage() : "refused by the deserialization filter: " + why[0]);
                }
            }
        }
    }

}
