package org.chatrelay.admin.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.chatrelay.admin.web.AdminPages;
import org.chatrelay.http.SameOrigin;

/**
 * Login CSRF and admin-form guard: a POST to the login or logout servlet must come from this origin, else 403.
 * Our pages send {@code Referrer-Policy: no-referrer}, under which browsers post forms with {@code Origin: null};
 * then {@code Sec-Fetch-Site: same-origin} (which a page cannot forge) has to vouch for the request.
 */
public final class LoginOriginFilter extends HttpFilter {
    private final AdminPages pages;

    public LoginOriginFilter(AdminPages pages) {
        this.pages = pages;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod()) && !sameOrigin(req)) {
            pages.error(req, res, HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused: sign in from this site's own login page.");
            return;
        }
        chain.doFilter(req, res);
    }

    static boolean sameOrigin(HttpServletRequest req) {
        String origin = req.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            return "same-origin".equals(req.getHeader("Sec-Fetch-Site"));
        }
        return SameOrigin.check(req);
    }
}
