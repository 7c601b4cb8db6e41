package io.millwright.http.internal;

import io.millwright.audit.api.AuditEvent;
import io.millwright.audit.api.AuditTrail;
import io.millwright.identity.api.Actor;
import io.millwright.identity.api.IdentityService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * {@code /login} (GET: the form; POST: user and password → a session cookie and back to the page asked for) and
 * {@code /logout} (POST). Logins, failed ones and logouts are audited; failures count against the client's budget.
 */
final class LoginServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private final transient IdentityService identity;
    private final transient AuditTrail audit;
    private final transient Sessions sessions;
    private final transient LoginThrottle throttle;

    LoginServlet(IdentityService identity, AuditTrail audit, Sessions sessions, LoginThrottle throttle) {
        this.identity = identity;
        this.audit = audit;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (req.getRequestURI().equals("/logout")) {
            res.sendError(405, "log out with POST");
            return;
        }
        form(res, 200, next(req.getParameter("next")), "");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String client = req.getRemoteAddr();
        if (req.getRequestURI().equals("/logout")) {
            String key = GatewayGuard.cookie(req, Sessions.COOKIE);
            Object actor = req.getAttribute(GatewayGuard.ACTOR_ATTRIBUTE);
            sessions.close(key);
            res.addHeader("Set-Cookie", Sessions.COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
            if (actor instanceof Actor a) {
                audit.record(AuditEvent.of(a.name(), a.role().id(), "web", client, "logout", a.name(), AuditEvent.OK, ""));
            }
            res.setStatus(303);
            res.setHeader("Location", "/login");
            return;
        }
        String next = next(req.getParameter("next"));
        String user = Optional.ofNullable(req.getParameter("user")).orElse("").strip();
        String budget = LoginThrottle.key(client, user);
        long wait = throttle.retryAfterSeconds(budget);
        if (wait > 0) {
            res.setHeader("Retry-After", Long.toString(wait));
            form(res, 429, next, "Too many failed logins from this address: try again in " + wait + " s.");
            return;
        }
        String password = Optional.ofNullable(req.getParameter("password")).orElse("");
        Optional<Actor> actor = user.isEmpty() ? Optional.empty() : identity.authenticate(user, password.toCharArray());
        if (actor.isEmpty()) {
            throttle.failed(budget);
            audit.record(AuditEvent.of(user, "", "web", client, "login", user, AuditEvent.REFUSED, "wrong user name or password"));
            form(res, 401, next, "Wrong user name or password.");
            return;
        }
        Actor a = actor.get();
        String key = sessions.open(a.name(), client);
        audit.record(AuditEvent.of(a.name(), a.role().id(), "web", client, "login", a.name(), AuditEvent.OK, ""));
        res.addHeader("Set-Cookie", Sessions.COOKIE + "=" + key + "; Path=/; Secure; HttpOnly; SameSite=Strict");
        res.setStatus(303);
        res.setHeader("Location", next);
    }

    /** Only a path on this gateway (never {@code //other.site} or a scheme): no open redirect. */
    static String next(String asked) {
        if (asked == null || !asked.startsWith("/") || asked.startsWith("//") || asked.startsWith("/\\") || asked.contains("\n")
                || asked.contains("\r")) {
            return "/";
        }
        return asked;
    }

    private static void form(HttpServletResponse res, int status, String next, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("text/html;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
        PrintWriter w = res.getWriter();
        w.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Millwright — log in</title>"
                + "<meta name=\"viewport\" content=\"width=device-width\"><style>body{font-family:sans-serif;margin:4em auto;max-width:22em}"
                + "label{display:block;margin:.8em 0 .2em}input{width:100%;padding:.4em;box-sizing:border-box}button{margin-top:1em;padding:.5em 1.5em}"
                + ".error{color:#b00020}</style></head><body><h1>Millwright</h1>");
        if (!message.isEmpty()) {
            w.println("<p class=\"error\" id=\"error\">" + escape(message) + "</p>");
        }
        w.println("<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"next\" value=\"" + escape(next) + "\">"
                + "<label for=\"user\">User</label><input id=\"user\" name=\"user\" autocomplete=\"username\" autofocus required>"
                + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" "
                + "autocomplete=\"current-password\" required><button type=\"submit\">Log in</button></form></body></html>");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
