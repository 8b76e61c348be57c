package org.chatrelay.admin.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.chatrelay.admin.web.AdminPages;
import org.chatrelay.web.VisitorFilter;

/**
 * Login CSRF and admin-form guard: a POST to the login or logout servlet must come from this origin
 * ({@code Origin}, or {@code Sec-Fetch-Site: same-origin} from a browser that sends no Origin), else 403.
 */
public final class LoginOriginFilter extends HttpFilter {
    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod()) && !VisitorFilter.sameOrigin(req)) {
            AdminPages.error(req, res, HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused: sign in from this site's own login page.");
            return;
        }
        chain.doFilter(req, res);
    }
}
