package org.chatrelay.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.chatrelay.app.App;

/**
 * Gives every browser an anonymous identity (a random id in an HttpOnly, SameSite=Lax cookie) and guards every
 * state-changing request: it must come from our own origin and carry the visitor's CSRF token.
 */
public final class VisitorFilter extends HttpFilter {
    static final String COOKIE = "cr_visitor";
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        App app = App.from(getServletContext());
        CsrfTokens csrf = app.csrf();
        String id = cookieValue(req);
        if (id == null || !VALID_ID.matcher(id).matches()) {
            id = newId();
            Cookie c = new Cookie(COOKIE, id);
            c.setHttpOnly(true);
            c.setPath(req.getContextPath().isEmpty() ? "/" : req.getContextPath());
            c.setMaxAge(400 * 24 * 3600);
            c.setSecure(req.isSecure());
            c.setAttribute("SameSite", "Lax");
            res.addCookie(c);
        }
        Visitor visitor = new Visitor(id, csrf.tokenFor(id));
        req.setAttribute(Visitor.ATTRIBUTE, visitor);
        if (!SAFE_METHODS.contains(req.getMethod()) && req.getServletPath().startsWith("/api/")) {
            // A listed front end on another origin may post too (CorsFilter); it still needs the visitor's token.
            if (!sameOrigin(req) && !app.cors().allows(req.getHeader("Origin"))) {
                JsonErrors.write(res, 403, "csrf", "Cross-site request refused.");
                return;
            }
            if (!csrf.valid(id, req.getHeader("X-CSRF-Token"))) {
                JsonErrors.write(res, 403, "csrf", "Missing or invalid CSRF token: reload the page and try again.");
                return;
            }
        }
        chain.doFilter(req, res);
    }

    /** The Origin header must name this server; a browser that sends none must at least say the request is same-origin. */
    public static boolean sameOrigin(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        if (origin == null) {
            return "same-origin".equals(req.getHeader("Sec-Fetch-Site"));
        }
        try {
            URI o = URI.create(origin);
            String scheme = o.getScheme() == null ? "" : o.getScheme().toLowerCase(Locale.ROOT);
            int port = o.getPort() != -1 ? o.getPort() : "https".equals(scheme) ? 443 : 80;
            return scheme.equals(req.getScheme().toLowerCase(Locale.ROOT))
                    && o.getHost() != null && o.getHost().equalsIgnoreCase(req.getServerName())
                    && port == req.getServerPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String cookieValue(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    private static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
