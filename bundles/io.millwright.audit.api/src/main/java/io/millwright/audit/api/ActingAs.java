package io.millwright.audit.api;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Who acts on the current thread, for records made deeper down the call (e.g. the configuration audit, which Config
 * Admin calls synchronously inside {@code Configuration.update}). The way in (web request, MQTT command, the
 * {@code etc/} folder) sets it around the work it does on behalf of someone.
 */
public final class ActingAs {

    /**
     * @param actor who
     * @param role its role, or empty
     * @param source the way in
     * @param address where from, or empty
     */
    public record Who(String actor, String role, String source, String address) {
    }

    private static final ThreadLocal<Who> CURRENT = new ThreadLocal<>();

    private ActingAs() {
    }

    /**
     * @param who who acts
     * @param work what it does
     * @param <T> the result's type
     * @return the work's result
     * @throws Exception what the work throws
     */
    public static <T> T call(Who who, Callable<T> work) throws Exception {
        Who outer = CURRENT.get();
        CURRENT.set(who);
        try {
            return work.call();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /**
     * @param who who acts
     * @param work what it does
     */
    public static void run(Who who, Runnable work) {
        try {
            call(who, () -> {
                work.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return who acts on this thread, if the way in said so */
    public static Optional<Who> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
