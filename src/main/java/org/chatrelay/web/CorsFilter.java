package org.chatrelay.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.chatrelay.http.JsonErrors;

/**
 * Cross-origin access: none unless the origin is on {@link CorsPolicy}'s list. A listed origin gets its own name back
 * with credentials allowed; any other gets no {@code Access-Control-*} header at all, so the browser keeps the
 * response from the calling page, and its preflight is refused. State-changing requests still need the visitor's
 * CSRF token ({@link VisitorFilter}).
 */
public final class CorsFilter extends HttpFilter {
    static final String ALLOWED_METHODS = "GET, POST";
    static final String ALLOWED_HEADERS = "Content-Type, X-CSRF-Token";
    private final CorsPolicy cors;

    public CorsFilter(CorsPolicy cors) {
        this.cors = cors;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        String origin = req.getHeader("Origin");
        if (origin == null) {
            chain.doFilter(req, res);
            return;
        }
        boolean listed = cors.allows(origin);
        // Caches must not hand one origin's answer to another.
        res.addHeader("Vary", "Origin");
        if (listed) {
            res.setHeader("Access-Control-Allow-Origin", origin);
            res.setHeader("Access-Control-Allow-Credentials", "true");
            res.setHeader("Access-Control-Expose-Headers", "Retry-After");
        }
        boolean preflight = "OPTIONS".equals(req.getMethod()) && req.getHeader("Access-Control-Request-Method") != null;
        if (!preflight) {
            chain.doFilter(req, res);
            return;
        }
        if (!listed) {
            JsonErrors.write(res, 403, "cors", "Cross-origin requests from this origin are not allowed.");
            return;
        }
        res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
        res.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        res.setHeader("Access-Control-Max-Age", "600");
        res.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
