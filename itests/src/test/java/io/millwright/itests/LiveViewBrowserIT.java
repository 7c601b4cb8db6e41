package io.millwright.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The live view as an operator sees it: the gateway jar as a process, reached over HTTPS with the certificate it
 * generated, after a login through its form, rendered by headless Chromium (Debian's {@code chromium}), its script
 * polling the JSON and filling the tables.
 */
public class LiveViewBrowserIT {

    static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new AssertionError("no Chromium found: install Debian's chromium (apt-get install -y chromium), as .ci/run does");
    }

    @Test
    public void theLiveViewShowsDevicesAssetsValuesAndJournalFigures() throws Exception {
        Path data = Files.createTempDirectory("millwright-browser-");
        try (GatewayProcess gateway = new GatewayProcess(data)) {
            gateway.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            String status = null;
            // the plant's first vibration block comes a few seconds after start, the model's first score once the
            // first 20 s feature window is complete: wait for both
            while (System.nanoTime() < deadline && (status == null || !status.contains("\"name\":\"pump-1\"") || !status.contains("WAVEFORM")
                    || !status.contains("s.pump-bearing.pump-bearing-rul.urgency"))) {
                Thread.sleep(200);
                status = gateway.status();
            }
            assertThat(status).as("gateway serves pump-1 with a waveform and a score; log " + gateway.log()).contains("\"name\":\"pump-1\"")
                    .contains("WAVEFORM").contains("s.pump-bearing.pump-bearing-rul.urgency");

            String password = Files.readString(data.resolve("initial-admin-password")).strip();
            String dom;
            try (Browser browser = Browser.start(data.resolve("chromium-profile"), data.resolve("tls/gateway.crt"))) {
                // plain HTTP only redirects to HTTPS, where the page asks for a login first
                browser.open(gateway.plainUrl() + "/millwright/");
                assertThat(browser.location()).startsWith(gateway.baseUrl() + "/login?next=");
                browser.logIn("admin", "not-the-password");
                browser.await("the login refused", Duration.ofSeconds(10), () -> String.valueOf(browser.dom()).contains("Wrong user name or password."));
                browser.logIn("admin", password);
                browser.await("the live view after the login", Duration.ofSeconds(10),
                        () -> (gateway.baseUrl() + "/millwright/").equals(browser.location()));
                browser.await("the live view filled by its script", Duration.ofSeconds(20), () -> {
                    String d = browser.dom();
                    return d != null && d.contains("<td>sim</td><td>simulator</td>") && d.contains("data-model=\"pump-bearing-rul\"");
                });
                dom = browser.dom();
            }

            assertThat(dom).contains("<title>Millwright — live view</title>");
            assertThat(dom).as("devices table").containsPattern("<td>sim</td><td>simulator</td><td class=\"ONLINE\">ONLINE</td>");
            for (String asset : List.of("pump-1", "motor-1", "compressor-1")) {
                assertThat(dom).as(asset + " card").contains("data-asset=\"" + asset + "\"");
            }
            assertThat(dom).as("a speed row with a value in rpm and GOOD quality")
                    .containsPattern("<tr data-tag=\"speed\"><td>speed</td><td class=\"num\">1,4[0-9]{2}(\\.[0-9])?</td><td>rpm</td><td class=\"GOOD\">GOOD</td>");
            assertThat(dom).as("vibration shown as RMS of a waveform").containsPattern("RMS [0-9.]+ \\(4096 @ 4096 Hz\\)");
            assertThat(dom).as("live view cursor listed").contains("<td>live-view</td>");
            assertThat(dom).as("journal figures").contains("commit rate").contains("payload / budget");
            assertThat(dom).as("no error shown").contains("<span id=\"error\"></span>");
            // the demo model's score card: remaining useful life in hours with its urgency, the action, the model's version
            assertThat(dom).as("score card of pump-1").containsPattern("<div class=\"score (NORMAL|WARNING|CRITICAL)\" data-model=\"pump-bearing-rul\">"
                    + "<div><span>remaining useful life </span><b>[0-9]+ h</b><b class=\"(NORMAL|WARNING|CRITICAL)\"> (NORMAL|WARNING|CRITICAL)</b></div>");
            assertThat(dom).as("the model's version and feature set").contains("pump-bearing-rul 1.0.0 · pump-bearing@1 · window ending");
            assertThat(dom).as("features and score channels folded away under the card")
                    .containsPattern("(?s)<details data-derived=\"pump-1\"><summary>features and scores \\([0-9]+ channels\\)</summary>.*"
                            + "data-tag=\"f.pump-bearing.vibration.rms\".*data-tag=\"s.pump-bearing.pump-bearing-rul.lineage\"");
        }
    }
}
