package io.millwright.itests;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol, as an operator would use it: it
 * trusts exactly the gateway's generated certificate ({@code --ignore-certificate-errors-spki-list} with the hash of its
 * public key, nothing else), opens pages, fills and submits the login form, and reads the rendered DOM.
 */
final class Browser implements AutoCloseable {

    private static final Pattern WS_URL = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"");
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

    private Browser(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    static Browser start(Path profile, Path gatewayCertificate) throws Exception {
        Files.createDirectories(profile);
        List<String> cmd = List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--ignore-certificate-errors-spki-list=" + spkiHash(gatewayCertificate), "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new AssertionError("chromium did not open its DevTools port; see " + profile.resolve("chromium.log"));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        String list = "";
        Matcher m = null;
        while (System.nanoTime() < deadline) {
            list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            m = WS_URL.matcher(list);
            if (m.find()) {
                break;
            }
            m = null;
            Thread.sleep(100);
        }
        if (m == null) {
            p.destroyForcibly();
            throw new AssertionError("chromium has no page to drive: " + list);
        }
        Browser[] self = new Browser[1];
        StringBuilder partial = new StringBuilder();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(m.group(1)), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String message = partial.toString();
                    partial.setLength(0);
                    Matcher id = Pattern.compile("^\\{\"id\":(\\d+)").matcher(message);
                    if (id.find() && self[0] != null) {
                        CompletableFuture<String> f = self[0].pending.remove(Integer.parseInt(id.group(1)));
                        if (f != null) {
                            f.complete(message);
                        }
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        self[0] = new Browser(p, ws);
        return self[0];
    }

    /** Base64 of the SHA-256 of the certificate's public key (SubjectPublicKeyInfo), as Chromium's flag wants it. */
    static String spkiHash(Path certificate) throws Exception {
        try (InputStream in = Files.newInputStream(certificate)) {
            byte[] spki = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }

    private String call(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<String> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).get(10, TimeUnit.SECONDS);
        return f.get(30, TimeUnit.SECONDS);
    }

    static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new AssertionError("no Chromium found: install Debian's chromium (apt-get install -y chromium), as .ci/run does");
    }

    /** Saves a PNG of the page as shown. */
    void screenshot(Path file) throws Exception {
        String r = call("Page.captureScreenshot", "{\"format\":\"png\"}");
        int at = r.indexOf("\"data\":\"");
        if (at < 0) {
            throw new AssertionError("no screenshot: " + r);
        }
        String data = r.substring(at + 8, r.indexOf('"', at + 8));
        Files.createDirectories(file.getParent());
        Files.write(file, java.util.Base64.getDecoder().decode(data));
    }

    void open(String url) throws Exception {
        call("Page.navigate", "{\"url\":" + quote(url) + "}");
        await("page loaded: " + url, Duration.ofSeconds(20), () -> "complete".equals(eval("document.readyState")));
    }

    /** @return the expression's value as text (strings unescaped), or null when it has none */
    String eval(String expression) {
        try {
            String r = call("Runtime.evaluate", "{\"expression\":" + quote(expression) + ",\"returnByValue\":true}");
            int at = r.indexOf("\"value\":");
            if (at < 0) {
                return null;
            }
            int start = at + "\"value\":".length();
            if (r.charAt(start) != '"') {
                int end = start;
                while (end < r.length() && ",}".indexOf(r.charAt(end)) < 0) {
                    end++;
                }
                return r.substring(start, end).strip();
            }
            int end = start + 1;
            while (r.charAt(end) != '"') {
                end += r.charAt(end) == '\\' ? 2 : 1;
            }
            return unquote(r.substring(start, end + 1));
        } catch (Exception e) {
            return null;
        }
    }

    void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String page = eval("(document.getElementById('page') || document.body).innerText + ' | error: ' + "
                        + "((document.getElementById('error') || {}).textContent || '')");
                throw new AssertionError("browser: timed out waiting for " + what + "; at " + eval("location.href") + "; the page says: "
                        + (page == null ? null : page.substring(0, Math.min(page.length(), 1500))));
            }
            Thread.sleep(100);
        }
    }

    /** Fills the login form of the page shown and submits it. */
    void logIn(String user, String password) throws Exception {
        eval("document.getElementById('user').value=" + quote(user) + ";document.getElementById('password').value=" + quote(password)
                + ";document.forms[0].submit();'sent'");
    }

    String dom() {
        return eval("document.documentElement.outerHTML");
    }

    String location() {
        return eval("location.href");
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String unquote(String json) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < json.length() - 1; i++) {
            char c = json.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
