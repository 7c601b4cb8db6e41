package io.millwright.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The distribution's bundle set: the committed -runbundles of distribution/millwright.bndrun, found as files. */
final class DistributionBundles {
    private DistributionBundles() {
    }

    /** @return bundle symbolic name → start level, from the bndrun's -runbundles and -runbundles+ */
    static Map<String, Integer> runBundles(Path bndrun) {
        String text;
        try {
            text = Files.readString(bndrun).replace("\\\n", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> levels = new LinkedHashMap<>();
        int defaultLevel = 10;
        Matcher plus = Pattern.compile("(?m)^-runbundles\\+:(.*)$").matcher(text);
        Map<String, Integer> decorated = new LinkedHashMap<>();
        if (plus.find()) {
            for (String part : plus.group(1).split(",")) {
                String[] bits = part.trim().split(";startlevel=");
                if (bits.length == 2) {
                    if (bits[0].trim().equals("*")) {
                        defaultLevel = Integer.parseInt(bits[1].trim());
                    } else {
                        decorated.put(bits[0].trim(), Integer.parseInt(bits[1].trim()));
                    }
                }
            }
        }
        Matcher run = Pattern.compile("(?m)^-runbundles:(.*)$").matcher(text);
        if (!run.find()) {
            throw new IllegalStateException(bndrun + " has no resolved -runbundles: build the distribution first");
        }
        for (String part : run.group(1).split(",(?=\\s*[A-Za-z])")) {
            String bsn = part.trim().split(";")[0].trim();
            if (!bsn.isEmpty()) {
                levels.put(bsn, decorated.getOrDefault(bsn, defaultLevel));
            }
        }
        return levels;
    }

    /** @return bundle symbolic name → jar, for every jar in the folder */
    static Map<String, Path> jarsBySymbolicName(Path folder) {
        Map<String, Path> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try (JarFile j = new JarFile(jar.toFile())) {
                    if (j.getManifest() == null) {
                        continue;
                    }
                    String bsn = j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                    if (bsn != null) {
                        out.put(bsn.split(";")[0].trim(), jar);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static boolean isFragment(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
