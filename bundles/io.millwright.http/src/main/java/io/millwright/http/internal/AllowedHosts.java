package io.millwright.http.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host names a request may name in its {@code Host} header: a page on another name that resolves to the gateway
 * (DNS rebinding) is refused. Allowed: {@code localhost}, the loopback addresses, the machine's host name, the address
 * the gateway listens on (every local address when it listens on all of them) and the names the site lists in the
 * framework property {@code millwright.http.allowed.hosts} (comma-separated; the launcher's
 * {@code MILLWRIGHT_HTTP_ALLOWED_HOSTS}).
 */
final class AllowedHosts {

    private final Set<String> names;

    AllowedHosts(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    static AllowedHosts of(String listenHost, String extra) {
        Set<String> names = new TreeSet<>(Set.of("localhost", "127.0.0.1", "::1"));
        String host = SelfSignedCertificate.hostName();
        if (host != null) {
            names.add(host.toLowerCase(Locale.ROOT));
        }
        if (listenHost != null && !listenHost.isBlank()) {
            if (listenHost.equals("0.0.0.0") || listenHost.equals("::")) {
                try {
                    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                            names.add(a instanceof Inet6Address ? a.getHostAddress().replaceAll("%.*$", "") : a.getHostAddress());
                        }
                    }
                } catch (SocketException e) {
                    // the loopback names stay
                }
            } else {
                names.add(listenHost.toLowerCase(Locale.ROOT));
            }
        }
        if (extra != null) {
            for (String n : extra.split(",")) {
                if (!n.isBlank()) {
                    names.add(n.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new AllowedHosts(names);
    }

    /**
     * @param hostHeader the request's Host header (name, optional port; IPv6 in brackets)
     * @return the name without port when allowed, null when not
     */
    String allowed(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        String name;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return null;
            }
            name = h.substring(1, end);
        } else {
            int colon = h.indexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return names.contains(name) ? name : null;
    }

    Set<String> names() {
        return names;
    }
}
