package io.millwright.http.internal;

import io.millwright.audit.api.ActingAs;
import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.IdentityService;
import io.millwright.identity.api.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.servlet.whiteboard.Preprocessor;

/**
 * Every request to the gateway passes here first (a servlet whiteboard {@link Preprocessor}: before any servlet
 * context, the Web Console's included). In order: a {@code Host} that is not the gateway's is refused (421, DNS
 * rebinding); plain HTTP is redirected to HTTPS (308) and served nothing else; a state-changing request from another
 * site is refused (403: {@code Sec-Fetch-Site} other than same-origin/none, or an {@code Origin} that is not this
 * gateway's); the client is authenticated (session cookie, {@code Authorization: Bearer <token>}, or HTTP Basic) and
 * authorised for the path ({@link AccessPolicy}); then the request runs as that actor ({@link ActingAs}, so that a
 * configuration change it makes is audited with its name), and a state-changing request is audited with its status. Failed credentials count against the client's login
 * budget ({@link LoginThrottle}) and are audited.
 */
final class GatewayGuard implements Preprocessor {

    static final String ACTOR_ATTRIBUTE = "io.millwright.actor";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final IdentityService identity;
    private final AuditTrail audit;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AllowedHosts hosts;
    private final int httpsPort;

    GatewayGuard(IdentityService identity, AuditTrail audit, Sessions sessions, LoginThrottle throttle, AllowedHosts hosts, int httpsPort) {
        this.identity = identity;
        this.audit = audit;
        this.sessions = sessions;
        this.throttle = throttle;
        this.hosts = hosts;
        this.httpsPort = httpsPort;
    }

    static GatewayGuard create(IdentityService identity, AuditTrail audit, AllowedHosts hosts, int httpsPort) {
        return new GatewayGuard(identity, audit, new Sessions(Clock.systemUTC()), new LoginThrottle(Clock.systemUTC()), hosts, httpsPort);
    }

    Sessions sessions() {
        return sessions;
    }

    LoginThrottle throttle() {
        return throttle;
    }

    AllowedHosts hosts() {
        return hosts;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        String host = hosts.allowed(req.getHeader("Host"));
        if (host == null) {
            refuse(res, 421, "unknown host name '" + req.getHeader("Host") + "': this gateway answers to " + hosts.names()
                    + " (add names with MILLWRIGHT_HTTP_ALLOWED_HOSTS)");
            return;
        }
        if (!req.isSecure()) {
            String target = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpsPort + req.getRequestURI()
                    + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
            res.setStatus(308);
            res.setHeader("Location", target);
            res.setContentLength(0);
            return;
        }
        res.setHeader("Strict-Transport-Security", "max-age=31536000");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Referrer-Policy", "same-origin");
        res.setHeader("X-Frame-Options", "SAMEORIGIN");
        String path = path(req);
        if (path == null) {
            refuse(res, 400, "bad path");
            return;
        }
        if (!SAFE_METHODS.contains(req.getMethod()) && crossSite(req)) {
            audit.record(AuditEvent.of("anonymous", "", "web", req.getRemoteAddr(), "http.cross-site", req.getMethod() + " " + path,
                    AuditEvent.REFUSED, "Origin " + req.getHeader("Origin") + ", Sec-Fetch-Site " + req.getHeader("Sec-Fetch-Site")));
            refuse(res, 403, "cross-site request refused: a state-changing request must come from this gateway's own pages");
            return;
        }
        if (AccessPolicy.isPublic(path)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Actor> actor;
        try {
            actor = authenticate(req, res);
        } catch (Refused r) {
            return;
        }
        if (actor.isEmpty()) {
            if ("GET".equals(req.getMethod()) && accepts(req, "text/html")) {
                String next = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
                res.setStatus(303);
                res.setHeader("Location", "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
                res.setContentLength(0);
            } else {
                res.setHeader("WWW-Authenticate", "Bearer realm=\"millwright\"");
                refuse(res, 401, "login needed: a session, an API token (Authorization: Bearer) or HTTP Basic");
            }
            return;
        }
        Actor who = actor.get();
        Role required = AccessPolicy.required(path);
        if (!who.may(required)) {
            refuse(res, 403, who.name() + " (" + who.role().id() + ") may not use " + path + ": needs " + required.id());
            return;
        }
        req.setAttribute(ACTOR_ATTRIBUTE, who);
        boolean changes = !SAFE_METHODS.contains(req.getMethod());
        String failure = null;
        try {
            ActingAs.call(new ActingAs.Who(who.name(), who.role().id(), "web", req.getRemoteAddr()), () -> {
                chain.doFilter(request, response);
                return null;
            });
        } catch (IOException | ServletException | RuntimeException e) {
            failure = e.toString();
            throw e;
        } catch (Exception e) {
            failure = e.toString();
            throw new ServletException(e);
        } finally {
            if (changes) {
                // every state-changing request is audited (what it changed in detail, e.g. a configuration, is audited
                // by the part that changed it): the Web Console's bundle and component actions included
                int status = res.getStatus();
                audit.record(AuditEvent.of(who.name(), who.role().id(), "web", req.getRemoteAddr(), "http." + req.getMethod(), path,
                        failure != null || status >= 500 ? AuditEvent.FAILED : status >= 400 ? AuditEvent.REFUSED : AuditEvent.OK,
                        failure != null ? failure : "status " + status));
            }
        }
    }

    /** Thrown when the response has been written (throttled). */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused() {
            super(null, null, false, false);
        }
    }

    private Optional<Actor> authenticate(HttpServletRequest req, HttpServletResponse res) throws IOException, Refused {
        String client = req.getRemoteAddr();
        String authorization = req.getHeader("Authorization");
        if (authorization != null) {
            String kind;
            String name;
            String password = null;
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                kind = "token";
                String token = authorization.substring(7).strip();
                name = token.length() > 16 ? token.substring(0, 16) + "…" : "?";
            } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                kind = "basic";
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    decoded = "";
                }
                int colon = decoded.indexOf(':');
                name = colon < 0 ? "?" : decoded.substring(0, colon);
                password = colon < 0 ? null : decoded.substring(colon + 1);
            } else {
                refuse(res, 401, "unsupported Authorization scheme: use Bearer <token> or Basic");
                throw new Refused();
            }
            // the budget is per client and user name: guesses at one account do not lock the others out
            String budget = LoginThrottle.key(client, kind.equals("token") ? "" : name);
            long wait = throttle.retryAfterSeconds(budget);
            if (wait > 0) {
                res.setHeader("Retry-After", Long.toString(wait));
                refuse(res, 429, "too many failed logins from " + client + ": try again in " + wait + " s");
                throw new Refused();
            }
            Optional<Actor> actor = kind.equals("token") ? identity.authenticateToken(authorization.substring(7).strip())
                    : password == null ? Optional.empty() : identity.authenticate(name, password.toCharArray());
            if (actor.isEmpty()) {
                throttle.failed(budget);
                audit.record(AuditEvent.of(name, "", "web", client, "login." + kind, name, AuditEvent.REFUSED, "wrong credentials"));
                res.setHeader("WWW-Authenticate", "Bearer realm=\"millwright\"");
                refuse(res, 401, "wrong credentials");
                throw new Refused();
            }
            return actor;
        }
        String session = cookie(req, Sessions.COOKIE);
        return sessions.touch(session).flatMap(s -> identity.users().stream().filter(u -> u.name().equals(s.user())).findFirst())
                .map(u -> new Actor(u.name(), u.role(), Actor.Kind.USER, u.name()));
    }

    /** A state-changing request from a page of another site. Requests without either header (scripts) pass. */
    static boolean crossSite(HttpServletRequest req) {
        return crossSite(req.getHeader("Sec-Fetch-Site"), req.getHeader("Origin"), req.getHeader("Host"));
    }

    static boolean crossSite(String secFetchSite, String origin, String host) {
        if (secFetchSite != null && !secFetchSite.equals("same-origin") && !secFetchSite.equals("none")) {
            return true;
        }
        if (origin == null) {
            return false;
        }
        return !origin.equalsIgnoreCase("https://" + host);
    }

    static String cookie(HttpServletRequest req, String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (c.getName().equals(name)) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    private static boolean accepts(HttpServletRequest req, String type) {
        String accept = req.getHeader("Accept");
        return accept != null && accept.contains(type);
    }

    /**
     * The path the servlet container will dispatch on, so that the policy cannot be walked around with
     * {@code /millwright/../system/console}, {@code //system/console}, {@code %2e%2e} or {@code ;params}: percent-decoded,
     * path parameters removed, empty segments collapsed, dot segments resolved. A path that climbs above the root is
     * answered with null (refused).
     */
    static String path(HttpServletRequest req) {
        String uri = req.getRequestURI();
        return canonical(uri == null || uri.isEmpty() ? "/" : uri);
    }

    static String canonical(String rawPath) {
        String decoded;
        try {
            decoded = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        java.util.Deque<String> out = new java.util.ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            int semicolon = segment.indexOf(';');
            String s = semicolon < 0 ? segment : segment.substring(0, semicolon);
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.removeLast();
                continue;
            }
            out.addLast(s);
        }
        return "/" + String.join("/", out) + (decoded.endsWith("/") && !out.isEmpty() ? "/" : "");
    }

    static void refuse(HttpServletResponse res, int status, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("text/plain;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.getWriter().println(message);
    }
}
