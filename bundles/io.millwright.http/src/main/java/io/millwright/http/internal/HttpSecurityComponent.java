package io.millwright.http.internal;

import io.millwright.audit.api.AuditTrail;
import io.millwright.identity.api.IdentityService;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the gateway's web side behind HTTPS and a login: registers the guard (every request), the login servlet and
 * the Web Console's security provider, then — last, so that no request is ever served unguarded, and on its own thread
 * ({@code http-tls-setup}), so that the data path does not wait — makes or loads the key and hands Jetty its HTTPS
 * configuration (Jetty waits for it: {@code org.apache.felix.http.require.config=true}).
 */
@Component(immediate = true, service = {})
public final class HttpSecurityComponent {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSecurityComponent.class);
    private static final long SETUP_RETRY_MILLIS = 5_000;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final Thread tlsSetup;

    /**
     * @param context to read the ports, host and key store, and to register the guard
     * @param identity who may log in
     * @param audit where logins go
     * @param configAdmin to configure Jetty
     */
    @Activate
    public HttpSecurityComponent(BundleContext context, @Reference IdentityService identity, @Reference AuditTrail audit,
            @Reference ConfigurationAdmin configAdmin) {
        String host = HttpsSetup.host(context);
        int httpsPort = HttpsSetup.httpsPort(context);
        AllowedHosts hosts = AllowedHosts.of(host, context.getProperty("millwright.http.allowed.hosts"));
        GatewayGuard guard = GatewayGuard.create(identity, audit, hosts, httpsPort);
        registrations.add(context.registerService(Preprocessor.class, guard, new Hashtable<>()));

        Dictionary<String, Object> login = new Hashtable<>();
        login.put("osgi.http.whiteboard.servlet.pattern", new String[] {"/login", "/logout"});
        login.put("osgi.http.whiteboard.servlet.name", "millwright-login");
        registrations.add(context.registerService(Servlet.class, new LoginServlet(identity, audit, guard.sessions(), guard.throttle()), login));

        try {
            Dictionary<String, Object> provider = new Hashtable<>();
            provider.put("webconsole.security.provider.id", ConsoleSecurityProvider.ID);
            registrations.add(context.registerService("org.apache.felix.webconsole.spi.SecurityProvider",
                    new ConsoleSecurityProvider(guard.sessions()), provider));
        } catch (NoClassDefFoundError e) {
            LOG.debug("no Felix Web Console in this distribution: no console security provider");
        }
        // the key (made at first start: 0.4 s) and Jetty's configuration on their own thread, so the data path does not wait
        // for the web side; Jetty opens no port before the configuration, and the guard is registered already. An I/O failure
        // is tried again every few seconds (logged once), so the console comes back with the space after a full disk (the key
        // at first start, Jetty's configuration after a port change) or once a site's key store reads; a setting that is
        // wrong (a port, a missing password file) or a key the JDK refuses is not
        this.tlsSetup = new Thread(() -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    HttpsSetup.Endpoint endpoint = HttpsSetup.endpoint(context);
                    HttpsSetup.configureJetty(configAdmin, endpoint);
                    LOG.info("web: https://{}:{}/millwright/ (plain HTTP on port {} only redirects); host names allowed: {}{}", endpoint.host(),
                            endpoint.httpsPort(), endpoint.httpPort(), hosts.names(), attempt > 1 ? " (attempt " + attempt + ")" : "");
                    return;
                } catch (IOException e) {
                    if (attempt == 1) {
                        LOG.error("web: HTTPS cannot be set up, so no page is served: {}; tried again every {} s", e.toString(),
                                SETUP_RETRY_MILLIS / 1000);
                    }
                } catch (GeneralSecurityException | RuntimeException e) {
                    LOG.error("web: HTTPS cannot be set up, so no page is served: {}", e.toString());
                    return;
                }
                try {
                    Thread.sleep(SETUP_RETRY_MILLIS);
                } catch (InterruptedException stopping) {
                    return;
                }
            }
        }, "http-tls-setup");
        tlsSetup.setDaemon(true);
        tlsSetup.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        tlsSetup.interrupt();
        tlsSetup.join(TimeUnit.SECONDS.toMillis(30));
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException gone) {
                // unregistered with the bundle already
            }
        }
        registrations.clear();
    }
}
