package io.millwright.itests;

import io.millwright.api.ChannelId;
import io.millwright.api.Sample;
import io.millwright.driver.api.Device;
import io.millwright.journal.api.JournalCursor;
import io.millwright.journal.api.JournalEntry;
import io.millwright.journal.api.JournalRead;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import javax.management.ObjectName;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** What the driver integration tests check inside the framework: devices, journal contents, threads and live heap. */
final class FrameworkChecks {

    private FrameworkChecks() {
    }

    /**
     * Polls {@code condition} every 20 ms for up to 20 s.
     *
     * @param what for the failure message
     * @param condition the condition
     */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, 20, condition);
    }

    /**
     * Polls {@code condition} every 20 ms for up to {@code seconds}.
     *
     * @param what for the failure message
     * @param seconds how long
     * @param condition the condition
     */
    static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        io.millwright.testing.Await.until(what, java.time.Duration.ofSeconds(seconds), condition);
    }

    /**
     * Waits (up to 20 s) until SCR reports the configuration of a device whose {@code deviceId} is {@code deviceId} as
     * failed to activate — the state that proves the configuration was processed and refused.
     *
     * @return SCR's failure text (names the PID and the refused value)
     */
    static String awaitFailedActivation(BundleContext context, String deviceId) throws InterruptedException {
        org.osgi.service.component.runtime.ServiceComponentRuntime scr = context.getService(
                context.getServiceReference(org.osgi.service.component.runtime.ServiceComponentRuntime.class));
        String[] failure = new String[1];
        await("SCR reports the configuration of device " + deviceId + " as failed", () -> {
            for (var description : scr.getComponentDescriptionDTOs()) {
                for (var c : scr.getComponentConfigurationDTOs(description)) {
                    if (deviceId.equals(c.properties.get("deviceId"))
                            && c.state == org.osgi.service.component.runtime.dto.ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        failure[0] = c.failure;
                        return true;
                    }
                }
            }
            return false;
        });
        return failure[0];
    }

    /**
     * Asserts that per-channel sequences of consecutive samples of one channel increase by one: nothing lost, nothing
     * twice.
     *
     * @param samples samples of one channel, in journal order
     * @param across what happened meanwhile, for the message
     */
    static void assertSequencesContinue(List<Sample> samples, String across) {
        for (int i = 1; i < samples.size(); i++) {
            org.assertj.core.api.Assertions.assertThat(samples.get(i).sequence()).as("sequence continues across " + across)
                    .isEqualTo(samples.get(i - 1).sequence() + 1);
        }
    }

    /** @return the device service with that id, or null */
    static Device device(BundleContext context, String id) {
        try {
            Collection<ServiceReference<Device>> refs = context.getServiceReferences(Device.class, "(millwright.device.id=" + id + ")");
            return refs.isEmpty() ? null : context.getService(refs.iterator().next());
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** @return the bundle with that symbolic name */
    static Bundle bundle(BundleContext context, String bsn) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(bsn)) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    /** @return the samples of {@code channel} the cursor has not yet read, the cursor advanced past them */
    static List<Sample> drain(JournalCursor cursor, ChannelId channel) {
        List<Sample> out = new ArrayList<>();
        while (true) {
            JournalRead read = cursor.read(10_000);
            for (JournalEntry e : read.entries()) {
                e.samples().stream().filter(s -> s.channel().equals(channel)).forEach(out::add);
            }
            cursor.advance(read.nextPosition());
            if (read.entries().isEmpty()) {
                return out;
            }
        }
    }

    /** Appends every sample the cursor has not yet read to {@code into}, the cursor advanced past them. */
    static void drainAll(JournalCursor cursor, List<Sample> into) {
        while (true) {
            JournalRead read = cursor.read(10_000);
            for (JournalEntry e : read.entries()) {
                into.addAll(e.samples());
            }
            cursor.advance(read.nextPosition());
            if (read.entries().isEmpty()) {
                return;
            }
        }
    }

    /** @return class name → {instances, bytes} live after a full GC, from the JVM's own class histogram */
    static Map<String, long[]> liveHistogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> byClass = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                byClass.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return byClass;
    }

    /** @return live threads counted by name, digits replaced by {@code #}, the test's own relay threads left out */
    static Map<String, Long> threadsByName() {
        Map<String, Long> names = new TreeMap<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (t.isAlive() && !t.getName().startsWith("cuttable-link") && !idleInCachedPool(t, e.getValue())) {
                names.merge(t.getName().replaceAll("\\d+", "#"), 1L, Long::sum);
            }
        }
        return names;
    }

    /**
     * Milo's shared executor is a cached pool (0 to unbounded workers, 60 s idle timeout, one per JVM): how many idle
     * workers it holds reflects the peak concurrency of the last minute, not a leak. Its workers count only while
     * they run a task — a task stuck forever is what a leak would look like there.
     */
    private static boolean idleInCachedPool(Thread t, StackTraceElement[] stack) {
        if (!t.getName().startsWith("milo-shared-thread-pool")) {
            return false;
        }
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor") && frame.getMethodName().equals("getTask")) {
                return true;
            }
        }
        return false;
    }
}
