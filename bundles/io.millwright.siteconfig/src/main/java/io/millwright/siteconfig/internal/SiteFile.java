package io.millwright.siteconfig.internal;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One site configuration file of the {@code etc/} folder, parsed: {@code <pid>.cfg} configures a singleton PID,
 * {@code <factoryPid>~<name>.cfg} creates or updates the factory configuration {@code <name>} (Config Admin 1.6
 * named factory configurations, the form the defaults use). Java properties format; a multi-valued attribute is
 * written {@code ["a","b"]}.
 *
 * @param file the file name
 * @param pid the singleton PID, or the factory PID
 * @param name the factory configuration's name, null for a singleton
 * @param values attribute → text as written (comments and escapes resolved)
 */
record SiteFile(String file, String pid, String name, Map<String, String> values) {

    /** The property every configuration applied from a file carries: the file's name. */
    static final String MARKER = "millwright.site.file";

    /** @return {@code pid} or {@code factoryPid~name} */
    String configurationId() {
        return name == null ? pid : pid + "~" + name;
    }

    /**
     * @param file the file name, e.g. {@code io.millwright.driver.modbus.tcp~plc1.cfg}
     * @param text its content
     * @return the parsed file
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    static SiteFile parse(String file, String text) {
        if (!file.endsWith(".cfg")) {
            throw new IllegalArgumentException(file + ": not a .cfg file");
        }
        String base = file.substring(0, file.length() - 4);
        int tilde = base.indexOf('~');
        String pid = tilde < 0 ? base : base.substring(0, tilde);
        String name = tilde < 0 ? null : base.substring(tilde + 1);
        if (pid.isEmpty() || !pid.matches("[A-Za-z0-9_.\\-]+") || name != null && (name.isEmpty() || !name.matches("[A-Za-z0-9_.\\-]+"))) {
            throw new IllegalArgumentException(file + ": expected <pid>.cfg or <factoryPid>~<name>.cfg (letters, digits, '.', '_', '-')");
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not in Java properties format: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> values.put(k, p.getProperty(k).trim()));
        return new SiteFile(file, pid, name, Map.copyOf(values));
    }
}
