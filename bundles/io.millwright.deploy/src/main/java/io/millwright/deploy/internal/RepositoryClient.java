package io.millwright.deploy.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Fetches an index, its signature and jars from a repository: a {@code file:} URL or {@code http(s)://}. Jars are
 * looked up by the index's {@code url}: a relative URL against the index; an absolute {@code file:} URL as it is for a
 * repository on this machine, and by its file name next to the index for a repository served over HTTP (the build's
 * indexes name local files: an integrator's server keeps the jars beside {@code index.xml}).
 */
final class RepositoryClient {

    static final long MAX_INDEX_BYTES = 16L << 20;
    static final long MAX_JAR_BYTES = 128L << 20;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /**
     * @param uri where
     * @param max the most bytes accepted
     * @return the bytes, or null when the resource does not exist (404, no file)
     * @throws IOException when it cannot be read, naming the URL
     */
    byte[] fetch(URI uri, long max) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "file" -> {
                Path p = Path.of(uri);
                try (InputStream in = Files.newInputStream(p)) {
                    return capped(uri, in, max);
                } catch (NoSuchFileException e) {
                    return null;
                }
            }
            case "http", "https" -> {
                try {
                    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream in = r.body()) {
                        if (r.statusCode() == 404) {
                            return null;
                        }
                        if (r.statusCode() != 200) {
                            throw new IOException(uri + " answered HTTP " + r.statusCode());
                        }
                        return capped(uri, in, max);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while fetching " + uri, e);
                }
            }
            default -> throw new IOException("'" + uri + "': a repository is a file: or http(s):// URL");
        }
    }

    private static byte[] capped(URI uri, InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            total += n;
            if (total > max) {
                throw new IOException(uri + " is larger than " + (max >> 20) + " MiB: refused");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * @param index the index's URL
     * @param url a resource's {@code url} attribute
     * @return where to fetch the jar
     */
    static URI artifact(URI index, String url) {
        URI u = URI.create(url);
        if (!u.isAbsolute()) {
            return index.resolve(u);
        }
        if ("file".equals(u.getScheme()) && !"file".equals(index.getScheme())) {
            String path = u.getPath();
            return index.resolve(path.substring(path.lastIndexOf('/') + 1));
        }
        return u;
    }
}
