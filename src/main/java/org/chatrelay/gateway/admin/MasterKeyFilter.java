package org.chatrelay.gateway.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.chatrelay.gateway.MasterKey;
import org.chatrelay.http.JsonErrors;

/**
 * The only door to {@code /admin/api/*}: {@code Authorization: Bearer <CHATRELAY_GATEWAY_MASTER_KEY>}. web.xml leaves
 * this path out of the FORM login's constraint, so an admin's session cookie opens nothing here (and, the API being
 * cookie-less, a cross-site page cannot use it: no CSRF), while the master key opens nothing under the FORM login.
 */
public final class MasterKeyFilter extends HttpFilter {
    private final Optional<MasterKey> master;

    public MasterKeyFilter(Optional<MasterKey> master) {
        this.master = master;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (master.isEmpty()) {
            JsonErrors.write(res, HttpServletResponse.SC_FORBIDDEN, "admin_api_disabled",
                    "The key admin API is off: set " + MasterKey.SETTING + " to use it.");
            return;
        }
        if (!master.get().matches(req.getHeader("Authorization"))) {
            res.setHeader("WWW-Authenticate", "Bearer realm=\"ChatRelay admin API\"");
            JsonErrors.write(res, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized",
                    "Send the master key as 'Authorization: Bearer <" + MasterKey.SETTING + ">'.");
            return;
        }
        chain.doFilter(req, res);
    }
}
