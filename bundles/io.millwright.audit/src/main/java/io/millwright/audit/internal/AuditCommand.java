package io.millwright.audit.internal;

import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.api.AuditVerification;
import io.millwright.audit.file.AuditFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code millwright-audit}: checks and shows the audit trail of a data folder, outside the gateway (it may run).
 * <pre>
 *   millwright-audit verify            # exit 0: intact; 1: broken (the first broken entry is named); 2: usage
 *   millwright-audit show [--from N] [--max M]
 * </pre>
 * The data folder is {@code $MILLWRIGHT_DATA}, else {@code ./data}; {@code --data DIR} or {@code --file FILE} say
 * otherwise.
 */
public final class AuditCommand {

    private AuditCommand() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv("MILLWRIGHT_DATA")));
    }

    /**
     * @param args the command line
     * @param out where results go
     * @param err where errors go
     * @param dataEnv the data folder from the environment, or null
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err, String dataEnv) {
        if (args.length == 0 || !(args[0].equals("verify") || args[0].equals("show"))) {
            err.println("usage: millwright-audit verify|show [--data DIR | --file FILE] [--from N] [--max M]");
            return 2;
        }
        Path file = Path.of(dataEnv == null || dataEnv.isBlank() ? "data" : dataEnv, "audit", "audit.log");
        long from = 1;
        int max = 100;
        try {
            for (int i = 1; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--data" -> file = Path.of(require(args[i], value), "audit", "audit.log");
                    case "--file" -> file = Path.of(require(args[i], value));
                    case "--from" -> from = Long.parseLong(require(args[i], value));
                    case "--max" -> max = Integer.parseInt(require(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
                i++;
            }
        } catch (IllegalArgumentException e) {
            err.println("millwright-audit: " + e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            err.println("millwright-audit: no audit trail at " + file.toAbsolutePath());
            return 2;
        }
        AuditFile trail = AuditFile.open(file);
        if (args[0].equals("show")) {
            for (AuditEntry e : trail.read(from, max)) {
                out.printf("%d %s %s%s via %s%s: %s %s -> %s%s%n", e.sequence(), e.time(), e.event().actor(),
                        e.event().role().isEmpty() ? "" : " (" + e.event().role() + ")", e.event().source(),
                        e.event().address().isEmpty() ? "" : " from " + e.event().address(), e.event().action(),
                        e.event().target(), e.event().result(), e.event().detail().isEmpty() ? "" : " — " + e.event().detail());
            }
            return 0;
        }
        AuditVerification v = trail.verify();
        if (v.intact()) {
            out.println("audit trail " + file.toAbsolutePath() + ": " + v.entries() + " entries, chain intact");
            return 0;
        }
        out.println("audit trail " + file.toAbsolutePath() + ": BROKEN at " + v.reason() + "; " + v.entries()
                + " entries before it chain");
        return 1;
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
