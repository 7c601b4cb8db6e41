package io.millwright.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The console: a small static app at {@code /} over the REST API {@code /api/v1} (pages, script, style, and uPlot from
 * its webjar, all from this bundle: no CDN). Every request has passed the gateway's login.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardServletPattern({"/", "/static/*"})
public final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, String[]> FILES = Map.ofEntries(
            Map.entry("/static/console.js", new String[] {"/console/console.js", "text/javascript"}),
            Map.entry("/static/alarms.js", new String[] {"/console/alarms.js", "text/javascript"}),
            Map.entry("/static/writes.js", new String[] {"/console/writes.js", "text/javascript"}),
            Map.entry("/static/kpis.js", new String[] {"/console/kpis.js", "text/javascript"}),
            Map.entry("/static/whatif.js", new String[] {"/console/whatif.js", "text/javascript"}),
            Map.entry("/static/optimizer.js", new String[] {"/console/optimizer.js", "text/javascript"}),
            Map.entry("/static/packages.js", new String[] {"/console/packages.js", "text/javascript"}),
            Map.entry("/static/health.js", new String[] {"/console/health.js", "text/javascript"}),
            Map.entry("/static/quality.js", new String[] {"/console/quality.js", "text/javascript"}),
            Map.entry("/static/console.css", new String[] {"/console/console.css", "text/css"}),
            Map.entry("/static/uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript"}),
            Map.entry("/static/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css"}));

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        resp.setHeader("X-Content-Type-Options", "nosniff");
        if (path.equals("/") || path.equals("/index.html")) {
            resp.setHeader("Cache-Control", "no-store");
            resp.setHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'");
            send(resp, "/console/index.html", "text/html;charset=utf-8");
            return;
        }
        String[] file = FILES.get(path);
        if (file == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page: " + path);
            return;
        }
        resp.setHeader("Cache-Control", path.contains("uPlot") ? "public, max-age=86400" : "no-cache");
        send(resp, file[0], file[1]);
    }

    private static void send(HttpServletResponse resp, String resource, String type) throws IOException {
        try (InputStream in = ConsoleServlet.class.getResourceAsStream(resource)) {
            if (in == null) {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND, "missing " + resource);
                return;
            }
            resp.setContentType(type);
            in.transferTo(resp.getOutputStream());
        }
    }
}
