package org.chatrelay.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;

/** Whether a request comes from a page of this server: the visitor API's and the admin login's CSRF guard ask this. */
public final class SameOrigin {
    private SameOrigin() {
    }

    /** The Origin header must name this server; a browser that sends none must at least say the request is same-origin. */
    public static boolean check(HttpServletRequest req) {
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
}
