package org.chatrelay.admin.auth;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.chatrelay.admin.web.AdminPages;
import org.chatrelay.http.TrustedProxies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /login}: the FORM login page (web.xml's form-login-page). {@code POST /login}: the only way to sign
 * in. After {@link LoginOriginFilter} and {@link LoginThrottle} it hands the credentials to the container with
 * {@link HttpServletRequest#login}, which authenticates through the realm, renews the session id and keeps the
 * identity in the session exactly as a j_security_check post would.
 */
public final class LoginServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(LoginServlet.class);
    /** Jetty's FormAuthenticator keeps the page that asked for a login here; read only as a string. */
    private static final String SAVED_URI = "org.eclipse.jetty.security.form_URI";
    private volatile long typicalCheckNanos = TimeUnit.MILLISECONDS.toNanos(300);
    private final AdminPages pages;
    private final LoginThrottle throttle;
    private final TrustedProxies trustedProxies;

    public LoginServlet(AdminPages pages, LoginThrottle throttle, TrustedProxies trustedProxies) {
        this.pages = pages;
        this.throttle = throttle;
        this.trustedProxies = trustedProxies;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        pages.render(req, res, HttpServletResponse.SC_OK, "admin/login", Map.of(
                "failed", req.getParameter("error") != null,
                "loggedOut", req.getParameter("out") != null));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException, ServletException {
        String username = req.getParameter("j_username");
        String password = req.getParameter("j_password");
        // Never a header the client chose: a spoofed address would let anyone lock a victim's address out.
        String address = trustedProxies.clientAddress(req);
        if (throttle.locked(username, address)) {
            // Same page, about the same time as a checked failure: a lock reveals no more than a wrong password.
            pause(typicalCheckNanos);
            LOG.info("admin login refused: throttled (address {})", address);
            res.sendRedirect(req.getContextPath() + "/login?error");
            return;
        }
        if (req.getUserPrincipal() != null) {
            req.logout();
        }
        long start = System.nanoTime();
        boolean ok;
        try (LoginGate gate = LoginGate.open()) {
            req.login(username, password == null ? "" : password);
            ok = true;
        } catch (ServletException e) {
            ok = false;
        }
        if (!ok) {
            typicalCheckNanos = (typicalCheckNanos * 7 + (System.nanoTime() - start)) / 8;
            throttle.failed(username, address);
            LOG.info("admin login failed (address {})", address);
            res.sendRedirect(req.getContextPath() + "/login?error");
            return;
        }
        throttle.succeeded(username);
        LOG.info("signed in: {} (address {})", req.getRemoteUser(), address);
        res.sendRedirect(target(req));
    }

    /** Back to the admin page that asked for the login, if it was one; never off-site. */
    private static String target(HttpServletRequest req) {
        String admin = req.getContextPath() + "/admin";
        HttpSession session = req.getSession(false);
        Object saved = session == null ? null : session.getAttribute(SAVED_URI);
        if (saved != null) {
            try {
                URI uri = URI.create(saved.toString());
                String path = uri.getRawPath();
                if (path != null && (path.equals(admin) || path.startsWith(admin + "/")) && !path.contains("..")) {
                    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
                }
            } catch (IllegalArgumentException ignored) {
                // Not a URI we recognise: go to the report.
            }
        }
        return admin;
    }

    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
