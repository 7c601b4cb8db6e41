package io.millwright.notify.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs each notification as JSON to a URL (a CMMS's work-order endpoint, a ticket system): taken when the answer is
 * 2xx. Each request carries {@code Idempotency-Key: <gateway>:<sequence>} so the receiver can drop the duplicates that
 * at-least-once delivery brings after a timeout or a restart.
 */
final class WebhookSink implements Sink {

    private final URI url;
    private final HttpClient client;
    private final Duration timeout;
    private final Map<String, String> headers;

    WebhookSink(URI url, Duration timeout, Map<String, String> headers) {
        this.url = url;
        this.timeout = timeout;
        this.headers = Map.copyOf(headers);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void deliver(String asset, byte[] payload) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        int id = text.indexOf("\"id\":\"");
        if (id >= 0) {
            b.header("Idempotency-Key", text.substring(id + 6, text.indexOf('"', id + 6)));
        }
        headers.forEach(b::header);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            String body = r.body() == null ? "" : r.body();
            throw new IOException("HTTP " + r.statusCode() + (body.isBlank() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) : body)));
        }
    }

    @Override
    public String describe() {
        return "webhook " + url;
    }
}
