package io.millwright.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the Felix Web Console never runs with its built-in admin/admin. If neither the
 * framework property {@value #PASSWORD_PROPERTY} (set by {@code bin/millwright}) nor the console's
 * configuration sets a password, a random one is generated, stored hashed in the console's
 * configuration, and printed once to the log.
 */
@Component(immediate = true, service = {})
public final class ConsoleCredentialGuard {

    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    static final String PASSWORD_PROPERTY = "felix.webconsole.password";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCredentialGuard.class);

    /**
     * @param context to read the framework property
     * @param configurationAdmin to read and write the console's configuration
     * @throws IOException if the configuration cannot be read or stored
     */
    @Activate
    public ConsoleCredentialGuard(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) throws IOException {
        String fromFramework = context.getProperty(PASSWORD_PROPERTY);
        Configuration config = configurationAdmin.getConfiguration(CONSOLE_PID, null);
        Dictionary<String, Object> props = config.getProperties();
        boolean configured = props != null && props.get("password") != null && !isDefault(String.valueOf(props.get("password")));
        if (configured || fromFramework != null && !isDefault(fromFramework)) {
            return;
        }
        String password = generate();
        Dictionary<String, Object> updated = props == null ? new Hashtable<>() : props;
        updated.put("username", "admin");
        updated.put("password", hash(password));
        config.update(updated);
        LOG.warn("Web Console (/system/console) had no password: generated one for user 'admin': {}  "
                + "(shown once; stored hashed in configuration {})", password, CONSOLE_PID);
    }

    static boolean isDefault(String password) {
        return password.isBlank() || "admin".equals(password) || hash("admin").equals(password);
    }

    static String generate() {
        SecureRandom random = new SecureRandom();
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** @return the Web Console's hash form {@code {sha-256}base64(sha256(password))} */
    static String hash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return "{sha-256}" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
