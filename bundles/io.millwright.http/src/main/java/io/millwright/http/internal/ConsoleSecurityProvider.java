package io.millwright.http.internal;

import io.millwright.identity.api.Actor;
import io.millwright.identity.api.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.felix.webconsole.spi.SecurityProvider;

/**
 * The Felix Web Console's login is the gateway's: the guard has authenticated the request already; this provider
 * hands the console that actor, and only an {@code admin}. The console is configured to require this provider
 * ({@code felix.webconsole.security.providers=millwright}), so it never falls back to its own admin/admin.
 */
final class ConsoleSecurityProvider implements SecurityProvider {

    static final String ID = "millwright";
    private final Sessions sessions;

    ConsoleSecurityProvider(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(GatewayGuard.ACTOR_ATTRIBUTE) instanceof Actor a && a.may(Role.ADMIN)) {
            return a;
        }
        try {
            response.sendError(403, "the Web Console is for admin only");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user instanceof Actor a && a.may(Role.ADMIN);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        sessions.close(GatewayGuard.cookie(request, Sessions.COOKIE));
    }
}
