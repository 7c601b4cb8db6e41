package io.millwright.itests;

import static io.millwright.itests.FrameworkChecks.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.driver.api.Device;
import io.millwright.driver.api.DeviceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Configuring a gateway as a new integrator would, from the docs: each driver README's example file dropped into
 * the data folder's {@code etc/} (addresses moved to 127.0.0.1: nothing leaves this machine) brings its device up
 * with every channel of its list; a file with a value the component refuses changes nothing and shows the device in
 * state CONFIG_ERROR with the reason, as does one its component refuses at activation; fixing the file brings the
 * device up, removing it removes the device.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SiteConfigIT {

    private static final Pattern EXAMPLE = Pattern.compile("(?m)^# data/etc/(\\S+\\.cfg)\\n((?:[^#`\\n][^\\n]*\\n)+)");

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return DistributionBundles.frameworkOptions();
    }

    private Path etc() throws IOException {
        return Files.createDirectories(Path.of(context.getProperty("millwright.data.dir"), "etc"));
    }

    private static Path project() {
        return Path.of(System.getProperty("millwright.bndrun")).toAbsolutePath().getParent().getParent();
    }

    /** @return file name → content of every example file in the README, addresses moved to 127.0.0.1 */
    private static Map<String, String> examples(String module) throws IOException {
        String readme = Files.readString(project().resolve(module).resolve("README.md"));
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = EXAMPLE.matcher(readme);
        while (m.find()) {
            // every IPv4 address becomes 127.0.0.1, every port after one a closed port: the devices come up, reach nothing
            String local = Pattern.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?").matcher(m.group(2))
                    .replaceAll(r -> r.group(2) == null ? "127.0.0.1" : "127.0.0.1:1");
            out.put(m.group(1), local);
        }
        assertThat(out).as("example files in " + module + "/README.md").isNotEmpty();
        return out;
    }

    private List<Device> devices(String id) {
        try {
            Collection<ServiceReference<Device>> refs = context.getServiceReferences(Device.class, "(" + Device.DEVICE_ID + "=" + id + ")");
            List<Device> out = new ArrayList<>();
            for (ServiceReference<Device> r : refs) {
                Device d = context.getService(r);
                if (d != null) {
                    out.add(d);
                }
            }
            return out;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Device running(String id) {
        return devices(id).stream().filter(d -> d.status().state() != DeviceState.CONFIG_ERROR).findFirst().orElse(null);
    }

    private Device refused(String id) {
        return devices(id).stream().filter(d -> d.status().state() == DeviceState.CONFIG_ERROR).findFirst().orElse(null);
    }

    private static String value(String file, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=(.*)$").matcher(file);
        assertThat(m.find()).as(key + " in " + file).isTrue();
        return m.group(1).trim();
    }

    @Test
    public void everyDriverReadmeExampleDroppedIntoEtcBringsItsDeviceUpWithAllItsChannels() throws Exception {
        Path etc = etc();
        for (String module : List.of("drivers/io.millwright.driver.modbus", "drivers/io.millwright.driver.opcua", "drivers/io.millwright.driver.plc4x")) {
            for (Map.Entry<String, String> example : examples(module).entrySet()) {
                Files.writeString(etc.resolve(example.getKey()), example.getValue());
                String id = value(example.getValue(), "deviceId");
                int channels = value(example.getValue(), "channels").split("\",\\s*\"").length;
                await(module + " example " + example.getKey() + " brings device " + id + " up", 30, () -> running(id) != null);
                Device d = running(id);
                assertThat(d.channels()).as(id + ": every channel of the list, not one string").hasSize(channels);
                assertThat(refused(id)).as(id + " not shown as refused").isNull();
            }
        }
    }

    @Test
    public void aFileWithABadValueChangesNothingAndShowsTheDeviceRefusedUntilItIsFixed() throws Exception {
        Path etc = etc();
        Path file = etc.resolve("io.millwright.driver.modbus.tcp~line9.cfg");
        String good = "deviceId=line9\nhost=127.0.0.1\nport=1\nchannels=[\"line-9/pressure holding:0 uint16 scale=0.01 unit=bar\"]\n";
        Files.writeString(file, good.replace("port=1", "port=five-oh-two"));
        await("line9 shown as refused", 30, () -> refused("line9") != null);
        assertThat(refused("line9").status().message()).contains("io.millwright.driver.modbus.tcp~line9").contains("port=five-oh-two");
        assertThat(running("line9")).as("nothing applied").isNull();

        // valid for the metatype, refused by the driver at activation: the channel's address
        Files.writeString(file, good.replace("holding:0", "holding:x"));
        try {
            await("line9 refused by the driver", 30, () -> refused("line9") != null && refused("line9").status().message().contains("holding:x"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; line9 devices: " + devices("line9").stream().map(d -> d.status().toString()).toList(), e);
        }
        assertThat(running("line9")).isNull();

        Files.writeString(file, good);
        await("line9 up once the file is fixed", 30, () -> running("line9") != null && refused("line9") == null);
        Files.delete(file);
        await("line9 gone with its file", 30, () -> devices("line9").isEmpty());
    }

    @Test
    public void anOutOfRangeChangeToTheDemoPlantKeepsItRunningWithItsPreviousSettings() throws Exception {
        Path file = etc().resolve("io.millwright.simulator.plant~demo.cfg");
        await("the demo plant running", 60, () -> running("sim") != null && running("sim").counters().samples() > 0);
        Files.writeString(file, "scalarIntervalMs=3600000\n");
        await("the change shown as refused", 30, () -> refused("demo") != null);
        assertThat(refused("demo").status().message()).contains("scalarIntervalMs").contains("3600000");
        long before = running("sim").counters().samples();
        await("the demo plant still sampling at its previous rate", 30, () -> running("sim").counters().samples() > before + 100);
        Files.delete(file);
        await("the refusal withdrawn with its file", 30, () -> refused("demo") == null);
        assertThat(running("sim")).isNotNull();
    }
}
