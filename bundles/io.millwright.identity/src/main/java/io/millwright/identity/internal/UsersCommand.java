package io.millwright.identity.internal;

import io.millwright.audit.file.AuditFile;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.ApiToken;
import io.millwright.identity.api.IssuedToken;
import io.millwright.identity.api.Role;
import io.millwright.identity.api.UserAccount;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code millwright-users}: manages the gateway's users and API tokens in its data folder (the gateway may run; it
 * sees changes at once). Acts as a local administrator ({@code cli:<account>}); every change is recorded in the
 * data folder's audit trail.
 * <pre>
 *   millwright-users list
 *   millwright-users add NAME ROLE              # asks for the password (or reads one line from standard input)
 *   millwright-users passwd NAME
 *   millwright-users role NAME ROLE
 *   millwright-users remove NAME
 *   millwright-users token OWNER ROLE [--days N] [--description TEXT]   # prints the token once
 *   millwright-users tokens
 *   millwright-users revoke ID
 * </pre>
 * The data folder is {@code $MILLWRIGHT_DATA}, else {@code ./data}, or {@code --data DIR} before the command.
 */
public final class UsersCommand {

    private final Path data;
    private final PrintStream out;
    private final PasswordSource passwords;

    /** Where a password comes from: the terminal (asked twice, not echoed) or standard input (one line). */
    @FunctionalInterface
    public interface PasswordSource {
        /**
         * @param prompt what to ask
         * @return the password
         * @throws IOException when it cannot be read
         */
        char[] read(String prompt) throws IOException;
    }

    /**
     * @param data the data folder
     * @param out where results go
     * @param passwords where passwords come from
     */
    public UsersCommand(Path data, PrintStream out, PasswordSource passwords) {
        this.data = data;
        this.out = out;
        this.passwords = passwords;
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        String env = System.getenv("MILLWRIGHT_DATA");
        Path data = Path.of(env == null || env.isBlank() ? "data" : env);
        if (args.length >= 2 && args[0].equals("--data")) {
            data = Path.of(args[1]);
            args = Arrays.copyOfRange(args, 2, args.length);
        }
        System.exit(new UsersCommand(data, System.out, UsersCommand::readPassword).run(args, System.err));
    }

    private static char[] readPassword(String prompt) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("%s: ", prompt);
            char[] again = console.readPassword("%s (again): ", prompt);
            if (first == null || !Arrays.equals(first, again)) {
                throw new IOException("the two passwords differ");
            }
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new IOException("no password on standard input");
        }
        return line.toCharArray();
    }

    /**
     * @param args the command and its arguments
     * @param err where errors go
     * @return the exit status: 0 done, 1 refused or failed, 2 usage
     */
    public int run(String[] args, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: millwright-users [--data DIR] list | add NAME ROLE | passwd NAME | role NAME ROLE | remove NAME"
                    + " | token OWNER ROLE [--days N] [--description TEXT] | tokens | revoke ID");
            return 2;
        }
        Identities identities = new Identities(data.resolve("identity"), () -> AuditFile.open(data.resolve("audit").resolve("audit.log")),
                Clock.systemUTC());
        Actor me = Actor.local("cli:" + System.getProperty("user.name", "unknown"));
        try {
            switch (args[0]) {
                case "list" -> {
                    for (UserAccount u : identities.users()) {
                        out.printf("%-20s %-9s created %s, password set %s%n", u.name(), u.role().id(), u.created(), u.passwordChanged());
                    }
                }
                case "add" -> {
                    need(args, 3);
                    identities.addUser(me, args[1], Role.parse(args[2]), passwords.read("password for " + args[1]));
                    out.println("user '" + args[1] + "' added as " + Role.parse(args[2]).id());
                }
                case "passwd" -> {
                    need(args, 2);
                    identities.setPassword(me, args[1], passwords.read("new password for " + args[1]));
                    if (args[1].equals(InitialAdmin.NAME)) {
                        InitialAdmin.forget(data);
                    }
                    out.println("password of '" + args[1] + "' changed");
                }
                case "role" -> {
                    need(args, 3);
                    identities.setRole(me, args[1], Role.parse(args[2]));
                    out.println("'" + args[1] + "' is now " + Role.parse(args[2]).id());
                }
                case "remove" -> {
                    need(args, 2);
                    identities.removeUser(me, args[1]);
                    out.println("user '" + args[1] + "' removed, its tokens revoked");
                }
                case "token" -> {
                    need(args, 3);
                    long days = 90;
                    String description = "";
                    for (int i = 3; i < args.length; i += 2) {
                        String value = i + 1 < args.length ? args[i + 1] : null;
                        if (value == null) {
                            throw new IllegalArgumentException(args[i] + " needs a value");
                        }
                        switch (args[i]) {
                            case "--days" -> days = Long.parseLong(value);
                            case "--description" -> description = value;
                            default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                        }
                    }
                    IssuedToken t = identities.issueToken(me, args[1], Role.parse(args[2]), Duration.ofDays(days), description);
                    out.println(t.secret());
                    System.err.println("token " + t.token().id() + " for '" + args[1] + "' (" + t.token().role().id() + "), expires "
                            + t.token().expires() + ": shown once, only its hash is kept");
                }
                case "tokens" -> {
                    for (ApiToken t : identities.tokens()) {
                        out.printf("%s %-16s %-9s %s expires %s%s%n", t.id(), t.owner(), t.role().id(),
                                t.description().isEmpty() ? "-" : "'" + t.description() + "'", t.expires(), t.revoked() ? " REVOKED" : "");
                    }
                }
                case "revoke" -> {
                    need(args, 2);
                    identities.revokeToken(me, args[1]);
                    out.println("token " + args[1] + " revoked");
                }
                default -> {
                    err.println("millwright-users: unknown command '" + args[0] + "'");
                    return 2;
                }
            }
            return 0;
        } catch (IllegalArgumentException | SecurityException | IllegalStateException e) {
            err.println("millwright-users: " + e.getMessage());
            return 1;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("millwright-users: " + e.getMessage());
            return 1;
        }
    }

    private static void need(String[] args, int n) {
        if (args.length < n) {
            throw new IllegalArgumentException("'" + args[0] + "' needs " + (n - 1) + " argument(s)");
        }
    }
}
