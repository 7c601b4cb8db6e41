package io.millwright.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log file rolls over at its size limit, keeps a bounded number of files, and continues after a restart. */
class RollingLogTest {

    @Test
    void rollsOverKeepsAtMostTheConfiguredFilesAndAppendsAfterARestart(@TempDir Path folder) throws Exception {
        try (RollingLog log = new RollingLog(folder, 4096, 3); PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 1000; i++) {
                out.println("line " + i + " of the gateway's log, long enough to fill a few files");
            }
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("gateway.log", "gateway.log.1", "gateway.log.2");
        }
        for (String f : new String[] {"gateway.log", "gateway.log.1", "gateway.log.2"}) {
            assertThat(Files.size(folder.resolve(f))).as(f).isLessThanOrEqualTo(4096);
        }
        assertThat(Files.readString(folder.resolve("gateway.log"))).endsWith("line 999 of the gateway's log, long enough to fill a few files\n");
        assertThat(Files.readString(folder.resolve("gateway.log.2")) + Files.readString(folder.resolve("gateway.log.1"))
                + Files.readString(folder.resolve("gateway.log"))).as("the newest lines, in order, nothing between lost")
                .contains("line 950 of", "line 951 of");
        // a restart appends to the current file
        long before = Files.size(folder.resolve("gateway.log"));
        try (RollingLog log = new RollingLog(folder, 4096, 3); PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            out.println("after the restart");
        }
        assertThat(Files.readString(folder.resolve("gateway.log"))).contains("line 999").endsWith("after the restart\n");
        assertThat(Files.size(folder.resolve("gateway.log"))).isGreaterThan(before);
    }

    @Test
    void aTooSmallLimitIsRefusedNamingIt(@TempDir Path folder) {
        assertThatThrownBy(() -> new RollingLog(folder, 10, 3)).hasMessageContaining("10 bytes × 3 files");
    }
}
