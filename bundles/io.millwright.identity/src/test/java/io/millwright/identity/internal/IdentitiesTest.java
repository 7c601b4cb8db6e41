package io.millwright.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.file.AuditFile;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.IssuedToken;
import io.millwright.identity.api.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentitiesTest {

    @TempDir
    Path data;
    AuditFile audit;
    Identities identities;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T08:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    final Actor admin = new Actor("admin", Role.ADMIN, Actor.Kind.USER, "admin");

    @BeforeEach
    void setUp() {
        audit = AuditFile.open(data.resolve("audit/audit.log"));
        identities = new Identities(data.resolve("identity"), () -> audit, clock);
    }

    @Test
    void theFirstStartCreatesAdminWithItsPasswordInAnOwnerOnlyFile() throws Exception {
        Path file = InitialAdmin.createIfNoUsers(identities, data);

        assertThat(file).isEqualTo(data.resolve("initial-admin-password"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String password = Files.readString(file).strip();
        assertThat(password).hasSize(24);
        assertThat(identities.authenticate("admin", password.toCharArray())).get().extracting(Actor::role).isEqualTo(Role.ADMIN);
        assertThat(identities.authenticate("admin", "wrong-password-1".toCharArray())).isEmpty();
        assertThat(identities.authenticate("nobody", password.toCharArray())).isEmpty();
        assertThat(InitialAdmin.createIfNoUsers(identities, data)).as("second start").isNull();
        String store = Files.readString(identities.file());
        assertThat(store).doesNotContain(password).contains("pbkdf2-sha256$600000$");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identities.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("identity")))).isEqualTo("rwx------");
    }

    @Test
    void tokensWorkUntilRevokedOrExpiredAndAreStoredHashed() throws Exception {
        identities.addUser(Actor.local("test"), "admin", Role.ADMIN, "a-long-password-1".toCharArray());
        identities.addUser(admin, "cloud", Role.ENGINEER, "a-long-password-2".toCharArray());
        IssuedToken t = identities.issueToken(admin, "cloud", Role.OPERATOR, Duration.ofDays(1), "backend");

        assertThat(t.secret()).matches("mwt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}");
        Actor actor = identities.authenticateToken(t.secret()).orElseThrow();
        assertThat(actor).isEqualTo(new Actor("token:" + t.token().id(), Role.OPERATOR, Actor.Kind.TOKEN, "cloud"));
        assertThat(Files.readString(identities.file())).doesNotContain(t.secret().substring(18));
        // one character different (not "A" for "A": a 256-bit secret's last base64url character is "A" one time in 16)
        char last = t.secret().charAt(t.secret().length() - 1);
        assertThat(identities.authenticateToken(t.secret().substring(0, t.secret().length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();

        now.set(now.get().plus(Duration.ofDays(2)));
        assertThat(identities.authenticateToken(t.secret())).as("expired").isEmpty();
        now.set(now.get().minus(Duration.ofDays(2)));
        identities.revokeToken(admin, t.token().id());
        assertThat(identities.authenticateToken(t.secret())).as("revoked").isEmpty();
        assertThat(identities.tokens()).singleElement().matches(k -> k.revoked());
    }

    @Test
    void aTokenNeverDoesMoreThanItsOwnerMayNow() {
        identities.addUser(Actor.local("test"), "admin", Role.ADMIN, "a-long-password-1".toCharArray());
        identities.addUser(admin, "eve", Role.ENGINEER, "a-long-password-2".toCharArray());
        IssuedToken t = identities.issueToken(admin, "eve", Role.ENGINEER, Duration.ofDays(1), "");
        assertThatThrownBy(() -> identities.issueToken(admin, "eve", Role.ADMIN, Duration.ofDays(1), ""))
                .hasMessageContaining("cannot have role admin");

        identities.setRole(admin, "eve", Role.VIEWER);
        assertThat(identities.authenticateToken(t.secret())).get().extracting(Actor::role).isEqualTo(Role.VIEWER);
        identities.removeUser(admin, "eve");
        assertThat(identities.authenticateToken(t.secret())).isEmpty();
    }

    @Test
    void onlyAnAdminManagesUsersAndEveryChangeIsAudited() {
        identities.addUser(Actor.local("test"), "admin", Role.ADMIN, "a-long-password-1".toCharArray());
        Actor operator = new Actor("olga", Role.OPERATOR, Actor.Kind.USER, "olga");

        assertThatThrownBy(() -> identities.addUser(operator, "mallory", Role.ADMIN, "a-long-password-3".toCharArray()))
                .isInstanceOf(SecurityException.class).hasMessageContaining("admin only");
        assertThatThrownBy(() -> identities.setRole(admin, "admin", Role.VIEWER)).hasMessageContaining("last admin");
        assertThatThrownBy(() -> identities.addUser(admin, "Bad Name", Role.VIEWER, "a-long-password-3".toCharArray()))
                .hasMessageContaining("user name 'Bad Name'");
        assertThatThrownBy(() -> identities.addUser(admin, "bob", Role.VIEWER, "short".toCharArray()))
                .hasMessageContaining("at least 12 characters");

        List<AuditEntry> trail = audit.read(1, 100);
        assertThat(trail).extracting(e -> e.event().actor() + " " + e.event().action() + " " + e.event().target() + " " + e.event().result())
                .containsExactly("test user.add admin ok", "olga user.add mallory refused", "admin user.role admin refused",
                        "admin user.add Bad Name refused", "admin user.add bob refused");
        assertThat(audit.verify().intact()).isTrue();
        assertThat(identities.users()).extracting(u -> u.name()).containsExactly("admin");
    }

    @Test
    void aChangeMadeByTheCommandLineIsSeenByTheRunningGatewayAtOnce() {
        identities.addUser(Actor.local("test"), "admin", Role.ADMIN, "a-long-password-1".toCharArray());
        assertThat(identities.authenticate("admin", "a-long-password-1".toCharArray())).isPresent();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        UsersCommand cli = new UsersCommand(data, new PrintStream(out), prompt -> "another-password-2".toCharArray());
        assertThat(cli.run(new String[] {"passwd", "admin"}, new PrintStream(err))).isZero();
        assertThat(cli.run(new String[] {"add", "vic", "viewer"}, new PrintStream(err))).isZero();
        assertThat(cli.run(new String[] {"add", "vic", "wizard"}, new PrintStream(err))).isEqualTo(1);
        assertThat(err.toString()).contains("unknown role 'wizard': one of viewer, operator, engineer, admin");

        assertThat(identities.authenticate("admin", "a-long-password-1".toCharArray())).as("old password, even remembered").isEmpty();
        assertThat(identities.authenticate("admin", "another-password-2".toCharArray())).isPresent();
        assertThat(identities.authenticate("vic", "another-password-2".toCharArray())).get().extracting(Actor::role).isEqualTo(Role.VIEWER);
        out.reset();
        assertThat(cli.run(new String[] {"list"}, new PrintStream(err))).isZero();
        assertThat(out.toString()).contains("admin ").contains("vic ").doesNotContain("pbkdf2");
        assertThat(audit.read(1, 100)).extracting(e -> e.event().action() + " " + e.event().source()).contains("user.password cli",
                "user.add cli");
    }
}
