package io.millwright.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The first start's TLS files, and a first start killed between the key store and its certificate. */
class HttpsSetupTest {

    private static BundleContext context(Path data) {
        Map<String, String> properties = Map.of("millwright.data.dir", data.toString());
        return (BundleContext) Proxy.newProxyInstance(HttpsSetupTest.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> method.getName().equals("getProperty") ? properties.get((String) args[0]) : null);
    }

    @Test
    void aMissingCertificateIsWrittenAgainFromTheKeyStoreWithoutANewKey(@TempDir Path data) throws Exception {
        HttpsSetup.endpoint(context(data));
        Path tls = data.resolve("tls");
        byte[] store = Files.readAllBytes(tls.resolve("gateway.p12"));
        String crt = Files.readString(tls.resolve("gateway.crt"));
        assertThat(crt).startsWith("-----BEGIN CERTIFICATE-----");
        // kill -9 after the key store was written and before its certificate
        Files.delete(tls.resolve("gateway.crt"));
        HttpsSetup.endpoint(context(data));
        assertThat(Files.readString(tls.resolve("gateway.crt"))).as("the same certificate, exported again").isEqualTo(crt);
        assertThat(Files.readAllBytes(tls.resolve("gateway.p12"))).as("the key kept").isEqualTo(store);
    }
}
