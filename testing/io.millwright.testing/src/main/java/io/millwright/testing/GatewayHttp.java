package io.millwright.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client of a gateway's HTTPS side as a script on the plant network would be one: it trusts exactly the certificate
 * the gateway generated in its data folder ({@code tls/gateway.crt}) and logs in with HTTP Basic (by default as
 * {@code admin}, with the first start's password from {@code initial-admin-password}).
 */
public final class GatewayHttp {

    private final HttpClient client;
    private final String base;
    private final String authorization;

    private GatewayHttp(HttpClient client, String base, String authorization) {
        this.client = client;
        this.base = base;
        this.authorization = authorization;
    }

    /**
     * @param data the gateway's data folder (its certificate and initial admin password are read once they exist)
     * @param httpsPort the gateway's HTTPS port
     * @return a client logged in as admin
     */
    public static GatewayHttp admin(Path data, int httpsPort) {
        try {
            String password = Files.readString(data.resolve("initial-admin-password"), StandardCharsets.UTF_8).strip();
            return of(data, httpsPort).as("admin", password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param data the gateway's data folder
     * @param httpsPort its HTTPS port
     * @return a client that trusts the gateway's certificate and sends no credentials
     */
    public static GatewayHttp of(Path data, int httpsPort) {
        return new GatewayHttp(HttpClient.newBuilder().sslContext(trusting(data.resolve("tls").resolve("gateway.crt")))
                .connectTimeout(Duration.ofSeconds(5)).build(), "https://127.0.0.1:" + httpsPort, null);
    }

    /**
     * @param user a user name
     * @param password its password
     * @return this client with HTTP Basic credentials
     */
    public GatewayHttp as(String user, String password) {
        return new GatewayHttp(client, base, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param token an API token
     * @return this client with the token as bearer
     */
    public GatewayHttp withToken(String token) {
        return new GatewayHttp(client, base, "Bearer " + token);
    }

    /** @return e.g. {@code https://127.0.0.1:8443} */
    /** @return the client (trusting the gateway's certificate), for requests that stream their answer */
    public HttpClient client() {
        return client;
    }

    public String base() {
        return base;
    }

    /**
     * @param path e.g. {@code /millwright/api/status}
     * @return a request to it with this client's credentials
     */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    /**
     * @param request a request
     * @return its response, the body as text
     * @throws IOException when the gateway cannot be reached
     */
    public HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * @param path a path
     * @return the body when the answer is 200, else null (also when the gateway does not answer yet)
     */
    public String getOrNull(String path) {
        try {
            HttpResponse<String> r = send(request(path).build());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** @return an SSL context that trusts exactly the PEM certificate in {@code cert} */
    static SSLContext trusting(Path cert) {
        try (InputStream in = Files.newInputStream(cert)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway's certificate " + cert + " cannot be read", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the gateway's certificate " + cert + " is not usable: " + e.getMessage(), e);
        }
    }
}
