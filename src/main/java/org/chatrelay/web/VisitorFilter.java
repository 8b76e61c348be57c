package org.chatrelay.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.chatrelay.http.JsonErrors;
import org.chatrelay.http.SameOrigin;

/**
 * Gives every browser an anonymous identity (a random id in a signed HttpOnly, SameSite=Lax cookie, {@link VisitorCookie})
 * and guards every state-changing request: it must come from our own origin and carry the visitor's CSRF token.
 */
public final class VisitorFilter extends HttpFilter {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private final CsrfTokens csrf;
    private final VisitorCookie cookie;
    private final CorsPolicy cors;

    public VisitorFilter(CsrfTokens csrf, VisitorCookie cookie, CorsPolicy cors) {
        this.csrf = csrf;
        this.cookie = cookie;
        this.cors = cors;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        Optional<String> known = cookie.idOf(req);
        String id;
        if (known.isPresent()) {
            id = known.get();
        } else {
            // Missing, unsigned (issued before signing, or made up) or signed by another deployment: a new visitor.
            id = VisitorCookie.newId();
            res.addCookie(cookie.issue(req, id));
            cookie.expireStale(req).ifPresent(res::addCookie);
        }
        Visitor visitor = new Visitor(id, csrf.tokenFor(id));
        req.setAttribute(Visitor.ATTRIBUTE, visitor);
        if (!SAFE_METHODS.contains(req.getMethod()) && req.getServletPath().startsWith("/api/")) {
            // A listed front end on another origin may post too (CorsFilter); it still needs the visitor's token.
            if (!SameOrigin.check(req) && !cors.allows(req.getHeader("Origin"))) {
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
}
