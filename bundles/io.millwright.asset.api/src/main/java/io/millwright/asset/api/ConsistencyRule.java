package io.millwright.asset.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A physical-consistency rule of an asset class: a measured tag is expected to follow other tags (bearing temperature
 * from speed, winding temperature from current), through a linear model of the given terms that the gateway fits on a
 * reference period. When the measurement leaves what the model expects while the operating point stays inside the
 * reference, either the sensor drifts or the machine has changed; the corroborating channels (which a machine fault
 * moves too, e.g. the vibration energy at the bearing's defect frequency) tell the two apart.
 *
 * <p>Text form: {@code <tag> from <term> [<term> ...] [corroborate=<channel>,...] [tolerance=<units>]}, a term being a tag
 * or a tag to a power ({@code speed^2}); a corroborating channel is a tag of the class or any journal tag of the asset
 * (a feature such as {@code f.pump-bearing.vibration.band_70_110}).
 *
 * @param tag the measured tag
 * @param terms the terms it is expected from (a constant is always added)
 * @param corroborate channels that a change of the machine moves too
 * @param tolerance the smallest shift of the tag (canonical unit) that matters: a sensor's stated accuracy
 */
public record ConsistencyRule(String tag, List<Term> terms, List<String> corroborate, double tolerance) {

    /**
     * One term of the model.
     *
     * @param tag the tag
     * @param power its power, 1 to 4
     */
    public record Term(String tag, int power) {
        @Override
        public String toString() {
            return power == 1 ? tag : tag + "^" + power;
        }
    }

    /** Copies the lists and checks them. */
    public ConsistencyRule {
        terms = List.copyOf(terms);
        corroborate = List.copyOf(corroborate);
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("consistency rule for '" + tag + "': needs at least one term");
        }
        if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("consistency rule for '" + tag + "': tolerance=" + tolerance + ": must be above 0");
        }
    }

    /**
     * @param text {@code <tag> from <term> [<term> ...] [corroborate=<channel>,...] [tolerance=<units>]}
     * @return the rule
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ConsistencyRule parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\s+");
        if (parts.length < 3 || !parts[1].equals("from")) {
            throw new IllegalArgumentException("consistency rule '" + text
                    + "': expected '<tag> from <term> [<term> ...] [corroborate=<channel>,...] [tolerance=<units>]'");
        }
        List<Term> terms = new ArrayList<>();
        List<String> corroborate = new ArrayList<>();
        double tolerance = 1.0;
        for (int i = 2; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("corroborate=")) {
                for (String c : p.substring("corroborate=".length()).split(",")) {
                    if (!c.isBlank()) {
                        corroborate.add(c.trim());
                    }
                }
            } else if (p.startsWith("tolerance=")) {
                try {
                    tolerance = Double.parseDouble(p.substring("tolerance=".length()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("consistency rule '" + text + "': tolerance '" + p.substring(10) + "' is not a number", e);
                }
            } else if (p.contains("=")) {
                throw new IllegalArgumentException("consistency rule '" + text + "': unknown setting '" + p
                        + "'; expected corroborate= or tolerance=");
            } else {
                int hat = p.indexOf('^');
                int power = 1;
                String name = p;
                if (hat >= 0) {
                    name = p.substring(0, hat);
                    try {
                        power = Integer.parseInt(p.substring(hat + 1));
                    } catch (NumberFormatException e) {
                        power = -1;
                    }
                    if (power < 1 || power > 4) {
                        throw new IllegalArgumentException("consistency rule '" + text + "': term '" + p + "': the power must be 1 to 4");
                    }
                }
                terms.add(new Term(name, power));
            }
        }
        return new ConsistencyRule(parts[0], terms, corroborate, tolerance);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(tag).append(" from");
        terms.forEach(t -> b.append(' ').append(t));
        if (!corroborate.isEmpty()) {
            b.append(" corroborate=").append(String.join(",", corroborate));
        }
        return b.append(" tolerance=").append(String.format(Locale.ROOT, "%s", tolerance)).toString();
    }
}
