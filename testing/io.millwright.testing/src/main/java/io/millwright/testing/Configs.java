package io.millwright.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A component's typed configuration (a DS component property type) built from a map, as SCR would from a Config
 * Admin dictionary: an attribute not in the map takes its default; a key that names no attribute is refused, so a
 * misspelt test configuration fails instead of silently testing the default.
 */
public final class Configs {

    private Configs() {
    }

    /**
     * @param <A> the configuration type
     * @param type the configuration annotation, e.g. {@code ModbusTcpDevice.Config.class}
     * @param values attribute → value (of the attribute's Java type)
     * @return the configuration
     * @throws IllegalArgumentException naming an unknown attribute, or an attribute without a default left out
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, Object> values) {
        Set<String> attributes = java.util.Arrays.stream(type.getDeclaredMethods()).map(Method::getName).collect(Collectors.toSet());
        for (String key : values.keySet()) {
            if (!attributes.contains(key)) {
                throw new IllegalArgumentException(type.getName() + " has no attribute '" + key + "'; it has " + attributes);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (m.getDefaultValue() == null && !values.containsKey(m.getName())) {
                throw new IllegalArgumentException(type.getName() + ": attribute '" + m.getName() + "' has no default and is not given");
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> switch (method.getName()) {
            case "annotationType" -> type;
            case "toString" -> type.getSimpleName() + values;
            case "hashCode" -> values.hashCode();
            case "equals" -> p == args[0];
            default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
        });
        return type.cast(proxy);
    }
}
