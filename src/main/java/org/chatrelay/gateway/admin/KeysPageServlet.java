package org.chatrelay.gateway.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.admin.web.AdminPages;
import org.chatrelay.admin.web.Format;
import org.chatrelay.gateway.keys.BadKeySpecException;
import org.chatrelay.gateway.keys.CreatedKey;
import org.chatrelay.gateway.keys.GatewayKeys;
import org.chatrelay.gateway.keys.KeySpec;
import org.chatrelay.gateway.keys.VirtualKey;
import org.chatrelay.persistence.PersistenceException;

/**
 * {@code /admin/keys}, behind the FORM login: the keys by prefix, a form to create one (the answer page shows the
 * new key, once), and {@code POST /admin/keys/{id}/revoke}. Posts must come from this origin (LoginOriginFilter, as
 * the login and logout forms); the session cookie is SameSite=Strict besides.
 */
public final class KeysPageServlet extends HttpServlet {
    private final AdminPages pages;
    private final GatewayKeys keys;
    private final KeyUsageRepository usage;

    public KeysPageServlet(AdminPages pages, GatewayKeys keys, KeyUsageRepository usage) {
        this.pages = pages;
        this.keys = keys;
        this.usage = usage;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo();
        if (path != null && path.matches("/[0-9a-f-]{36}")) {
            keyPage(req, res, path.substring(1));
            return;
        }
        if (path != null && !path.equals("/")) {
            pages.error(req, res, 404, "No such page.");
            return;
        }
        page(req, res, 200, null, null);
    }

    /** {@code /admin/keys/{id}}: the key's calls and spend against its budgets, its latency, its last errors. */
    private void keyPage(HttpServletRequest req, HttpServletResponse res, String id) throws IOException {
        Optional<VirtualKey> key = keys.list().stream().filter(k -> k.id().equals(id)).findFirst();
        if (key.isEmpty()) {
            pages.error(req, res, 404, "No key with that id.");
            return;
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("key", key.get());
        KeyUsageRepository.Usage figures = usage.of(id, Instant.now());
        vars.put("usage", figures);
        vars.put("periods", List.of(new Period("today", "Today", figures.today(), key.get().dailyBudgetMicros()),
                new Period("month", "This month", figures.month(), key.get().monthlyBudgetMicros())));
        vars.put("fmt", new Format());
        pages.render(req, res, 200, "admin/key", vars);
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
            getServletContext().log("key store unavailable: " + e.withCause());
            pages.error(req, res, 503, "The key store is unavailable. Please try again.");
        }
    }

    /** A row of the key page's spend table: the spend of a budget's period beside the budget. */
    public record Period(String id, String label, KeyUsageRepository.Spend spend, Long budgetMicros) {
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
