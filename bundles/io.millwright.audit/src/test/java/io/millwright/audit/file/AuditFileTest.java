package io.millwright.audit.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.audit.api.AuditEntry;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditVerification;
import io.millwright.audit.internal.AuditCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileTest {

    @TempDir
    Path dir;

    private static AuditEvent login(String user, String result) {
        return AuditEvent.of(user, "admin", "web", "127.0.0.1", "login", user, result, "");
    }

    @Test
    void entriesChainAndReadBackAsRecorded() {
        AuditFile trail = AuditFile.open(dir.resolve("audit/audit.log"));
        AuditEntry first = trail.record(login("admin", AuditEvent.OK));
        AuditEntry second = trail.record(new AuditEvent("alice", "engineer", "mqtt", "cloud-1", "config.update",
                "io.millwright.simulator.plant~demo", Map.of("periodMs", "100"), Map.of("periodMs", "200"), AuditEvent.OK, ""));

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.previousHash()).isEqualTo("0".repeat(64));
        assertThat(second.previousHash()).isEqualTo(first.hash());
        List<AuditEntry> read = trail.read(1, 10);
        assertThat(read).containsExactly(first, second);
        assertThat(read.get(1).event().after()).containsEntry("periodMs", "200");
        assertThat(trail.verify()).isEqualTo(new AuditVerification(2, 0, 0, ""));
        assertThat(trail.lastSequence()).isEqualTo(2);
    }

    @Test
    void oneAlteredByteIsFoundAndTheEntryNamed() throws Exception {
        Path file = dir.resolve("audit.log");
        AuditFile trail = AuditFile.open(file);
        for (int i = 0; i < 5; i++) {
            trail.record(login("user" + i, AuditEvent.OK));
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.indexOf("user2");
        bytes[at + 4] = (byte) '9'; // user2 -> user9 in entry 3
        Files.write(file, bytes);

        AuditVerification v = AuditFile.open(file).verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBroken()).isEqualTo(3);
        assertThat(v.line()).isEqualTo(3);
        assertThat(v.entries()).isEqualTo(2);
        assertThat(v.reason()).contains("entry 3").contains("does not match its hash");
    }

    @Test
    void aRemovedEntryBreaksTheChainAtTheNextOne() throws Exception {
        Path file = dir.resolve("audit.log");
        AuditFile trail = AuditFile.open(file);
        for (int i = 0; i < 4; i++) {
            trail.record(login("user" + i, AuditEvent.OK));
        }
        List<String> lines = Files.readAllLines(file);
        lines.remove(1);
        Files.write(file, lines);

        AuditVerification v = AuditFile.open(file).verify();
        assertThat(v.firstBroken()).isEqualTo(3);
        assertThat(v.reason()).contains("previous hash");
    }

    @Test
    void secretsNeverReachTheFile() throws Exception {
        Path file = dir.resolve("audit.log");
        AuditFile trail = AuditFile.open(file);
        trail.record(new AuditEvent("admin", "admin", "web", "", "config.update", "io.millwright.driver.opcua.client~plc",
                Map.of("password", "hunter2-old", "endpoint", "opc.tcp://a"), Map.of("password", "hunter2-new", "endpoint",
                        "opc.tcp://b", "commandHmacKey", "k3y-material"), AuditEvent.OK, ""));
        String text = Files.readString(file);
        assertThat(text).doesNotContain("hunter2").doesNotContain("k3y-material").contains("\"password\":\"*** (changed)\"")
                .contains("opc.tcp://b");
        assertThat(trail.verify().intact()).isTrue();
    }

    @Test
    void theFileIsTheOwnersOnly() throws Exception {
        Path file = dir.resolve("audit/audit.log");
        AuditFile.open(file).record(login("admin", AuditEvent.OK));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void twoWritersOnOneFileKeepOneChain() {
        Path file = dir.resolve("audit.log");
        AuditFile gateway = AuditFile.open(file);
        AuditFile tool = AuditFile.open(file);
        gateway.record(login("a", AuditEvent.OK));
        tool.record(login("b", AuditEvent.OK));
        gateway.record(login("c", AuditEvent.OK));
        tool.record(login("d", AuditEvent.OK));

        assertThat(gateway.read(1, 10)).extracting(e -> e.sequence() + e.event().actor()).containsExactly("1a", "2b", "3c", "4d");
        assertThat(gateway.verify().intact()).isTrue();
    }

    @Test
    void aWriteCutShortByACrashIsRemovedAndRecorded() throws Exception {
        Path file = dir.resolve("audit.log");
        AuditFile.open(file).record(login("a", AuditEvent.OK));
        Files.writeString(file, "{\"seq\":2,\"time\":\"2026-", StandardOpenOption.APPEND);

        AuditFile trail = AuditFile.open(file);
        trail.record(login("b", AuditEvent.OK));

        List<AuditEntry> all = trail.read(1, 10);
        assertThat(all).extracting(e -> e.event().action()).containsExactly("login", "audit.recovered", "login");
        assertThat(all.get(1).event().detail()).contains("22 bytes");
        assertThat(trail.verify().intact()).isTrue();
    }

    @Test
    void theCommandReportsIntactOrTheFirstBrokenEntry() throws Exception {
        Path data = dir.resolve("data");
        AuditFile trail = AuditFile.open(data.resolve("audit/audit.log"));
        trail.record(login("a", AuditEvent.OK));
        trail.record(login("b", AuditEvent.REFUSED));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(AuditCommand.run(new String[] {"verify"}, new PrintStream(out), System.err, data.toString())).isZero();
        assertThat(out.toString()).contains("2 entries, chain intact");

        Path file = data.resolve("audit/audit.log");
        Files.writeString(file, Files.readString(file).replace("\"result\":\"refused\"", "\"result\":\"ok\"     "));
        out.reset();
        assertThat(AuditCommand.run(new String[] {"verify", "--data", data.toString()}, new PrintStream(out), System.err, null))
                .isEqualTo(1);
        assertThat(out.toString()).contains("BROKEN at entry 2 (line 2)").contains("1 entries before it chain");
    }
}
