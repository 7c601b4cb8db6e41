package io.millwright.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.identity.api.Role;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayGuardTest {

    @Test
    void thePolicySeesThePathTheContainerDispatchesOn() {
        assertThat(GatewayGuard.canonical("/millwright/../system/console/bundles")).isEqualTo("/system/console/bundles");
        assertThat(GatewayGuard.canonical("/millwright/%2e%2e/system/console")).isEqualTo("/system/console");
        assertThat(GatewayGuard.canonical("//system//console/")).isEqualTo("/system/console/");
        assertThat(GatewayGuard.canonical("/system;jsessionid=x/console")).isEqualTo("/system/console");
        assertThat(GatewayGuard.canonical("/./login")).isEqualTo("/login");
        assertThat(GatewayGuard.canonical("/../etc/passwd")).as("above the root").isNull();
        assertThat(GatewayGuard.canonical("/%zz")).as("bad escape").isNull();
        assertThat(AccessPolicy.required(GatewayGuard.canonical("/millwright/../system/console/bundles"))).isEqualTo(Role.ADMIN);
        assertThat(AccessPolicy.required("/system")).isEqualTo(Role.ADMIN);
        assertThat(AccessPolicy.required("/millwright/api/status")).isEqualTo(Role.VIEWER);
        assertThat(AccessPolicy.required("/anything/else")).as("deny by default: a login at least").isEqualTo(Role.VIEWER);
        assertThat(AccessPolicy.isPublic("/login")).isTrue();
        assertThat(AccessPolicy.isPublic("/login/../system/console")).isFalse();
    }

    @Test
    void stateChangingRequestsFromAnotherSiteAreRecognised() {
        assertThat(GatewayGuard.crossSite("cross-site", null, "127.0.0.1:8443")).isTrue();
        assertThat(GatewayGuard.crossSite("same-site", null, "127.0.0.1:8443")).as("a sibling subdomain is another site here").isTrue();
        assertThat(GatewayGuard.crossSite("same-origin", "https://127.0.0.1:8443", "127.0.0.1:8443")).isFalse();
        assertThat(GatewayGuard.crossSite(null, "https://evil.example", "127.0.0.1:8443")).isTrue();
        assertThat(GatewayGuard.crossSite(null, "http://127.0.0.1:8443", "127.0.0.1:8443")).as("not over TLS").isTrue();
        assertThat(GatewayGuard.crossSite(null, "null", "127.0.0.1:8443")).as("sandboxed frame").isTrue();
        assertThat(GatewayGuard.crossSite("none", null, "127.0.0.1:8443")).as("typed by the user").isFalse();
        assertThat(GatewayGuard.crossSite(null, null, "127.0.0.1:8443")).as("a script (curl)").isFalse();
    }

    @Test
    void onlyTheGatewaysOwnNamesAreAnswered() {
        AllowedHosts hosts = new AllowedHosts(Set.of("localhost", "127.0.0.1", "::1", "gw1.plant.local"));
        assertThat(hosts.allowed("127.0.0.1:8443")).isEqualTo("127.0.0.1");
        assertThat(hosts.allowed("LOCALHOST")).isEqualTo("localhost");
        assertThat(hosts.allowed("[::1]:8443")).isEqualTo("::1");
        assertThat(hosts.allowed("gw1.plant.local.:8443")).isEqualTo("gw1.plant.local");
        assertThat(hosts.allowed("attacker.example:8443")).as("DNS rebinding").isNull();
        assertThat(hosts.allowed("127.0.0.1.attacker.example")).isNull();
        assertThat(hosts.allowed(null)).isNull();
        assertThat(AllowedHosts.of("127.0.0.1", " gw1.plant.local , 10.0.0.7").names()).contains("gw1.plant.local", "10.0.0.7", "localhost");
    }

    @Test
    void aLoginSendsOnlyToAPathOfThisGateway() {
        assertThat(LoginServlet.next("/millwright/?x=1")).isEqualTo("/millwright/?x=1");
        assertThat(LoginServlet.next("//evil.example/")).isEqualTo("/");
        assertThat(LoginServlet.next("/\\evil.example/")).isEqualTo("/");
        assertThat(LoginServlet.next("https://evil.example/")).isEqualTo("/");
        assertThat(LoginServlet.next(null)).isEqualTo("/");
        assertThat(LoginServlet.escape("\"><script>")).isEqualTo("&quot;&gt;&lt;script&gt;");
    }
}
