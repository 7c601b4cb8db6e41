package io.millwright.asset.internal;

import java.util.Locale;
import java.util.Map;
import javax.measure.IncommensurableException;
import javax.measure.Unit;
import javax.measure.UnconvertibleException;
import javax.measure.UnitConverter;
import javax.measure.format.MeasurementParseException;
import tech.units.indriya.AbstractUnit;
import tech.units.indriya.format.SimpleUnitFormat;
import tech.units.indriya.unit.Units;

/**
 * Unit texts as devices and configurations write them (UCUM-like: {@code Cel}, {@code rpm}, {@code m3/h}, {@code bar},
 * {@code m/s2}, {@code {parts}}) read by Indriya (JSR 385), and the conversion between two of them as the affine map
 * {@code canonical = value × scale + offset} that every conversion between units of one quantity is.
 */
public final class UnitConversions {

    /** canonical = value × scale + offset */
    public record Linear(double scale, double offset) {
        /** No conversion. */
        public static final Linear IDENTITY = new Linear(1, 0);

        double apply(double v) {
            return v * scale + offset;
        }
    }

    private static final Unit<?> BAR;
    /** UCUM codes and common spellings that Indriya's simple format does not read as such. */
    private static final Map<String, Unit<?>> ALIASES;

    static {
        // Indriya loads its number system through ServiceLoader on the context class loader: in OSGi that must be this
        // bundle's loader, which holds Indriya's service files.
        Thread t = Thread.currentThread();
        ClassLoader outer = t.getContextClassLoader();
        t.setContextClassLoader(UnitConversions.class.getClassLoader());
        try {
            BAR = Units.PASCAL.multiply(100_000);
            ALIASES = aliases();
        } finally {
            t.setContextClassLoader(outer);
        }
    }

    private static Map<String, Unit<?>> aliases() {
        return Map.ofEntries(
                    Map.entry("cel", Units.CELSIUS),
                    Map.entry("degc", Units.CELSIUS),
                    Map.entry("°c", Units.CELSIUS),
                    Map.entry("[degf]", Units.KELVIN.multiply(5.0 / 9.0).shift(459.67)),
                    Map.entry("degf", Units.KELVIN.multiply(5.0 / 9.0).shift(459.67)),
                    Map.entry("°f", Units.KELVIN.multiply(5.0 / 9.0).shift(459.67)),
                    Map.entry("rpm", AbstractUnit.ONE.divide(Units.MINUTE)),
                    Map.entry("/min", AbstractUnit.ONE.divide(Units.MINUTE)),
                    Map.entry("rps", AbstractUnit.ONE.divide(Units.SECOND)),
                    Map.entry("bar", BAR),
                    Map.entry("mbar", BAR.divide(1000)),
                    Map.entry("psi", Units.PASCAL.multiply(6_894.757293168)),
                    Map.entry("[psi]", Units.PASCAL.multiply(6_894.757293168)),
                    Map.entry("l", Units.LITRE),
                    Map.entry("l/min", Units.LITRE.divide(Units.MINUTE)),
                    Map.entry("l/s", Units.LITRE.divide(Units.SECOND)),
                    Map.entry("kwh", Units.WATT.multiply(1000).multiply(Units.HOUR)),
                    Map.entry("kw.h", Units.WATT.multiply(1000).multiply(Units.HOUR)),
                    Map.entry("wh", Units.WATT.multiply(Units.HOUR)),
                    Map.entry("", AbstractUnit.ONE),
                    Map.entry("1", AbstractUnit.ONE));
    }

    private UnitConversions() {
    }

    /**
     * @param text a unit text
     * @return the unit
     * @throws IllegalArgumentException naming the text when the units library does not know it
     */
    public static Unit<?> unit(String text) {
        return withOwnLoader(() -> parse(text));
    }

    private static Unit<?> parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("{") && t.endsWith("}")) {
            return AbstractUnit.ONE; // a UCUM annotation such as {parts}: a count
        }
        Unit<?> alias = ALIASES.get(t.toLowerCase(Locale.ROOT));
        if (alias != null) {
            return alias;
        }
        String simple = t.replaceAll("([A-Za-z])([23])(?![0-9])", "$1^$2"); // m3/h -> m^3/h, m/s2 -> m/s^2
        try {
            return SimpleUnitFormat.getInstance().parse(simple);
        } catch (MeasurementParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unit '" + text + "' is not one the units library knows (e.g. Cel, degF, rpm, bar, kPa, "
                    + "m3/h, m/s2, A, kW)");
        }
    }

    /**
     * @param from the unit values come in
     * @param to the unit wanted
     * @return the conversion
     * @throws IllegalArgumentException naming both when they measure different quantities
     */
    public static Linear between(String from, String to) {
        return withOwnLoader(() -> convert(from, to));
    }

    private static <T> T withOwnLoader(java.util.function.Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader outer = t.getContextClassLoader();
        t.setContextClassLoader(UnitConversions.class.getClassLoader());
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(outer);
        }
    }

    private static Linear convert(String from, String to) {
        Unit<?> f = parse(from);
        Unit<?> t = parse(to);
        if (f.equals(t)) {
            return Linear.IDENTITY;
        }
        try {
            UnitConverter c = f.getConverterToAny(t);
            double offset = c.convert(0.0);
            double scale = c.convert(1.0) - offset;
            double check = c.convert(1000.0);
            if (Math.abs(check - (1000 * scale + offset)) > 1e-9 * Math.max(1, Math.abs(check))) {
                throw new IllegalArgumentException("units '" + from + "' to '" + to + "': the conversion is not linear");
            }
            return new Linear(scale, offset);
        } catch (IncommensurableException | UnconvertibleException e) {
            throw new IllegalArgumentException("units '" + from + "' and '" + to + "' measure different quantities (" + f.getDimension()
                    + " and " + t.getDimension() + ")");
        }
    }
}
