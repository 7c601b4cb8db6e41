package io.millwright.deploy.internal;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's files under {@code <data>/deploy/}: {@code artifacts/<sha256>.jar} (every jar a kept deployment needs,
 * and the content of bundles an update replaced), {@code deployments.json} (the committed set and the two before it,
 * newest first) and {@code job.json} (the deployment under way, its phase written before each step). Every file is
 * replaced atomically and forced to disk.
 */
final class DeployStore {

    /** A bundle of a deployed set. */
    record Artifact(String name, String version, String sha256) {
        String describe() {
            return name + " " + version;
        }
    }

    /** A committed set: the deployment that made it and its bundles. */
    record DeployedSet(String id, List<Artifact> bundles) {
    }

    private final Path folder;

    DeployStore(Path folder) throws IOException {
        this.folder = folder;
        Files.createDirectories(folder.resolve("artifacts"));
    }

    Path folder() {
        return folder;
    }

    Path artifact(String sha256) {
        return folder.resolve("artifacts").resolve(sha256 + ".jar");
    }

    /** Stores a verified jar under its hash. */
    void putArtifact(String sha256, byte[] bytes) throws IOException {
        Path target = artifact(sha256);
        if (!Files.exists(target)) {
            write(target, bytes);
        }
    }

    /** @return the committed set first, then up to two before it */
    List<DeployedSet> sets() throws IOException {
        Path p = folder.resolve("deployments.json");
        if (!Files.exists(p)) {
            return List.of();
        }
        List<DeployedSet> out = new ArrayList<>();
        for (JsonValue v : read(p).getJsonArray("sets")) {
            JsonObject s = v.asJsonObject();
            List<Artifact> bundles = new ArrayList<>();
            for (JsonValue b : s.getJsonArray("bundles")) {
                JsonObject o = b.asJsonObject();
                bundles.add(new Artifact(o.getString("name"), o.getString("version"), o.getString("sha256")));
            }
            out.add(new DeployedSet(s.getString("id"), bundles));
        }
        return out;
    }

    /** @return the committed set; empty before the first deployment */
    List<Artifact> committed() throws IOException {
        List<DeployedSet> sets = sets();
        return sets.isEmpty() ? List.of() : sets.get(0).bundles();
    }

    /** Makes a set the committed one, keeping the two before it; drops artifacts no kept set needs. */
    void commit(DeployedSet set) throws IOException {
        List<DeployedSet> sets = new ArrayList<>(sets());
        sets.add(0, set);
        while (sets.size() > 3) {
            sets.remove(sets.size() - 1);
        }
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (DeployedSet s : sets) {
            JsonArrayBuilder bundles = Json.createArrayBuilder();
            s.bundles().forEach(b -> bundles.add(Json.createObjectBuilder().add("name", b.name()).add("version", b.version()).add("sha256", b.sha256())));
            a.add(Json.createObjectBuilder().add("id", s.id()).add("bundles", bundles));
        }
        write(folder.resolve("deployments.json"), Json.createObjectBuilder().add("sets", a).build().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @return the job under way, or null */
    JsonObject job() throws IOException {
        Path p = folder.resolve("job.json");
        return Files.exists(p) ? read(p) : null;
    }

    void writeJob(JsonObject job) throws IOException {
        write(folder.resolve("job.json"), job.toString().getBytes(StandardCharsets.UTF_8));
    }

    void clearJob() throws IOException {
        Files.deleteIfExists(folder.resolve("job.json"));
        force(folder);
    }

    private static JsonObject read(Path p) throws IOException {
        try (JsonReader r = Json.createReader(new StringReader(Files.readString(p)))) {
            return r.readObject();
        } catch (jakarta.json.JsonException e) {
            throw new IOException(p + " is damaged: " + e.getMessage(), e);
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            c.write(java.nio.ByteBuffer.wrap(bytes));
            c.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        force(target.getParent());
    }

    private static void force(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            // not every filesystem lets a directory be forced; the rename is still atomic
        }
    }
}
