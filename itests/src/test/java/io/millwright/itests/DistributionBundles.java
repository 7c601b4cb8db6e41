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

    /**
     * Pax Exam options for the distribution's exact bundle set with its start levels, a fresh data
     * folder, free HTTP and HTTPS ports, and the test's own helper bundles.
     */
    static org.ops4j.pax.exam.Option[] frameworkOptions() throws IOException {
        return frameworkOptions(java.util.Set.of());
    }

    /**
     * @param without symbolic names of distribution bundles left out (a gateway that lacks them)
     * @return the options of {@link #frameworkOptions()} without those bundles
     */
    static org.ops4j.pax.exam.Option[] frameworkOptions(java.util.Set<String> without) throws IOException {
        Path bundles = Path.of(System.getProperty("millwright.bundles"));
        Map<String, Integer> runBundles = runBundles(Path.of(System.getProperty("millwright.bndrun")));
        Map<String, Path> jars = jarsBySymbolicName(bundles);
        java.util.List<org.ops4j.pax.exam.Option> options = new java.util.ArrayList<>();
        for (Map.Entry<String, Integer> e : runBundles.entrySet()) {
            if (without.contains(e.getKey())) {
                continue;
            }
            Path jar = jars.get(e.getKey());
            if (jar == null) {
                throw new IllegalStateException("bundle " + e.getKey() + " of the distribution is not in " + bundles);
            }
            var option = org.ops4j.pax.exam.CoreOptions.bundle(jar.toUri().toString()).startLevel(e.getValue());
            options.add(isFragment(jar) ? option.noStart() : option);
        }
        for (Path jar : jarsBySymbolicName(Path.of(System.getProperty("millwright.test.bundles"))).values()) {
            options.add(org.ops4j.pax.exam.CoreOptions.bundle(jar.toUri().toString()));
        }
        Path data = Files.createTempDirectory("millwright-it-");
        int port;
        int httpsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0); java.net.ServerSocket t = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
            httpsPort = t.getLocalPort();
        }
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("millwright.data.dir").value(data.toString()));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("felix.cm.dir").value(data.resolve("config").toString()));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("org.osgi.service.http.port").value(Integer.toString(port)));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("org.apache.felix.http.host").value("127.0.0.1"));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("millwright.https.port").value(Integer.toString(httpsPort)));
        // as in millwright.bndrun: Jetty waits for io.millwright.http's HTTPS configuration, the Web Console for its login
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("org.apache.felix.http.require.config").value("true"));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("felix.webconsole.security.providers").value("millwright"));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(org.ops4j.pax.exam.CoreOptions.frameworkStartLevel(30));
        options.add(org.ops4j.pax.exam.CoreOptions.junitBundles());
        return options.toArray(new org.ops4j.pax.exam.Option[0]);
    }

    static boolean isFragment(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
