package io.millwright.identity.internal;

import io.millwright.audit.api.AuditTrail;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.ApiToken;
import io.millwright.identity.api.IdentityService;
import io.millwright.identity.api.IssuedToken;
import io.millwright.identity.api.Role;
import io.millwright.identity.api.UserAccount;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link IdentityService}: the store in {@code <millwright.data.dir>/identity/}. On the first start
 * (no users) it creates {@code admin} and writes its password to {@code <data>/initial-admin-password}, logging only
 * the path — on its own thread ({@code identity-first-start}), so that the data path starts without waiting for the KDF.
 */
@Component(service = IdentityService.class)
public final class IdentityComponent implements IdentityService {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);
    private final Identities identities;
    private final Thread firstStart;
    private final CountDownLatch ready = new CountDownLatch(1);
    private static final long WARM_UP_DELAY_MS = 10_000;

    /**
     * @param context to read the data folder ({@code millwright.data.dir}, default {@code data})
     * @param audit where user and token changes are recorded
     */
    @Activate
    public IdentityComponent(BundleContext context, @Reference AuditTrail audit) {
        String dataProperty = context.getProperty("millwright.data.dir");
        Path data = Path.of(dataProperty == null ? "data" : dataProperty).toAbsolutePath();
        this.identities = new Identities(data.resolve("identity"), () -> audit, Clock.systemUTC());
        // off the start-up path: the first start's admin costs a KDF run (0.6 s cold), and the first check after any
        // start pays the JIT (0.7 s measured); a login arriving meanwhile waits for it (ready)
        this.firstStart = new Thread(() -> {
            try {
                Path created = InitialAdmin.createIfNoUsers(identities, data);
                if (created != null) {
                    LOG.info("first start: user 'admin' created; its password is in {} (readable by this account only; "
                            + "change it with distribution/bin/millwright-users passwd admin)", created);
                } else {
                    ready.countDown();
                    // the JIT's first KDF run, paid once the start is over (the CPU is the data path's then), not by the
                    // first login: a login before it is done costs 0.7 s instead of 0.2 s
                    Thread.sleep(WARM_UP_DELAY_MS);
                    PasswordHashing.spendTime("warm-up".toCharArray());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.error("the initial admin cannot be created (password file {}): {}", InitialAdmin.passwordFile(data), e.toString());
            } finally {
                ready.countDown();
            }
        }, "identity-first-start");
        firstStart.setDaemon(true);
        firstStart.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        firstStart.interrupt(); // ends a warm-up's wait; a first start's admin creation is not interruptible and is waited for
        firstStart.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void awaitReady() {
        try {
            ready.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<Actor> authenticate(String user, char[] password) {
        awaitReady();
        return identities.authenticate(user, password);
    }

    @Override
    public Optional<Actor> authenticateToken(String secret) {
        return identities.authenticateToken(secret);
    }

    @Override
    public List<UserAccount> users() {
        return identities.users();
    }

    @Override
    public List<ApiToken> tokens() {
        return identities.tokens();
    }

    @Override
    public UserAccount addUser(Actor by, String name, Role role, char[] password) {
        return identities.addUser(by, name, role, password);
    }

    @Override
    public void setPassword(Actor by, String name, char[] password) {
        identities.setPassword(by, name, password);
    }

    @Override
    public void setRole(Actor by, String name, Role role) {
        identities.setRole(by, name, role);
    }

    @Override
    public void removeUser(Actor by, String name) {
        identities.removeUser(by, name);
    }

    @Override
    public IssuedToken issueToken(Actor by, String owner, Role role, Duration validity, String description) {
        return identities.issueToken(by, owner, role, validity, description);
    }

    @Override
    public void revokeToken(Actor by, String id) {
        identities.revokeToken(by, id);
    }
}
