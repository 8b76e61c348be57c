package org.chatrelay.gateway.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.chatrelay.admin.web.AdminPages;
import org.chatrelay.admin.web.Format;
import org.chatrelay.gateway.keys.BadKeySpecException;
import org.chatrelay.gateway.keys.CreatedKey;
import org.chatrelay.gateway.keys.GatewayKeys;
import org.chatrelay.gateway.keys.KeySpec;
import org.chatrelay.persistence.PersistenceException;

/**
 * {@code /admin/keys}, behind the FORM login: the keys by prefix, a form to create one (the answer page shows the
 * new key, once), and {@code POST /admin/keys/{id}/revoke}. Posts must come from this origin (LoginOriginFilter, as
 * the login and logout forms); the session cookie is SameSite=Strict besides.
 */
public final class KeysPageServlet extends HttpServlet {
    private final AdminPages pages;
    private final GatewayKeys keys;

    public KeysPageServlet(AdminPages pages, GatewayKeys keys) {
        this.pages = pages;
        this.keys = keys;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (req.getPathInfo() != null && !req.getPathInfo().equals("/")) {
            pages.error(req, res, 404, "No such page.");
            return;
        }
        page(req, res, 200, null, null);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo();
        try {
            if (path == null || path.equals("/")) {
                CreatedKey created = keys.create(KeySpec.fromForm(req.getParameterMap(), Instant.now()));
                page(req, res, 200, created, null);
            } else if (path.matches("/[0-9a-f-]{36}/revoke")) {
                if (!keys.revoke(path.substring(1, 37))) {
                    pages.error(req, res, 404, "No key with that id.");
                    return;
                }
                res.sendRedirect(req.getContextPath() + "/admin/keys");
            } else {
                pages.error(req, res, 404, "No such page.");
            }
        } catch (BadKeySpecException e) {
            page(req, res, 400, null, e.getMessage());
        } catch (PersistenceException e) {
            getServletContext().log("key store unavailable: " + e.getMessage());
            pages.error(req, res, 503, "The key store is unavailable. Please try again.");
        }
    }

    private void page(HttpServletRequest req, HttpServletResponse res, int status, CreatedKey created, String problem) throws IOException {
        Map<String, Object> vars = new HashMap<>();
        vars.put("keys", keys.list());
        vars.put("fmt", new Format());
        vars.put("created", created);
        vars.put("problem", problem);
        pages.render(req, res, status, "admin/keys", vars);
    }
}
