package org.chatrelay.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.chatrelay.gateway.keys.BadKeySpecException;
import org.chatrelay.gateway.keys.CreatedKey;
import org.chatrelay.gateway.keys.GatewayKeys;
import org.chatrelay.gateway.keys.KeySpec;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.JsonBody;
import org.chatrelay.http.JsonErrors;
import org.chatrelay.persistence.PersistenceException;

/**
 * The key admin API (behind {@link MasterKeyFilter}): {@code POST /admin/api/keys} → 201 with the key, shown this
 * once; {@code GET /admin/api/keys} → the keys without secrets; {@code DELETE /admin/api/keys/{id}} → 204, revoked.
 */
public final class KeysApiServlet extends HttpServlet {
    private static final int MAX_BODY = 16 * 1024;
    private final ObjectMapper json;
    private final GatewayKeys keys;

    public KeysApiServlet(ObjectMapper json, GatewayKeys keys) {
        this.json = json;
        this.keys = keys;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (!collection(req, res)) {
            return;
        }
        try {
            ArrayNode list = json.createArrayNode();
            keys.list().forEach(k -> list.add(KeyJson.of(json, k)));
            ObjectNode body = json.createObjectNode();
            body.set("keys", list);
            send(res, 200, body);
        } catch (PersistenceException e) {
            unavailable(res, e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (!collection(req, res)) {
            return;
        }
        try {
            KeySpec spec = KeySpec.fromJson(JsonBody.read(req, json, MAX_BODY, KeySpec.FIELDS), Instant.now());
            CreatedKey created = keys.create(spec);
            ObjectNode body = KeyJson.of(json, created.key());
            body.put("key", created.secret());
            res.setHeader("Location", req.getContextPath() + "/admin/api/keys/" + created.key().id());
            send(res, 201, body);
        } catch (ApiException e) {
            JsonErrors.writeField(res, e.status, e.code, e.getMessage(), e.field);
        } catch (BadKeySpecException e) {
            JsonErrors.writeField(res, 400, "invalid_request", e.getMessage(), e.field());
        } catch (PersistenceException e) {
            unavailable(res, e);
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String id = idOf(req);
        if (id == null) {
            JsonErrors.write(res, 405, "method_not_allowed", "DELETE /admin/api/keys/{id} revokes one key.");
            return;
        }
        try {
            if (keys.revoke(id)) {
                res.setStatus(HttpServletResponse.SC_NO_CONTENT);
            } else {
                JsonErrors.write(res, 404, "not_found", "No key with that id.");
            }
        } catch (PersistenceException e) {
            unavailable(res, e);
        }
    }

    /** GET and POST address the collection itself: anything below it is a 404 (a single key has only DELETE). */
    private static boolean collection(HttpServletRequest req, HttpServletResponse res) {
        String path = req.getPathInfo();
        if (path == null || path.equals("/")) {
            return true;
        }
        JsonErrors.write(res, 404, "not_found", "Only GET and POST /admin/api/keys, DELETE /admin/api/keys/{id}.");
        return false;
    }

    /** The id of {@code /admin/api/keys/{id}}, or null for the collection or a deeper path. */
    private static String idOf(HttpServletRequest req) {
        String path = req.getPathInfo();
        if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            return null;
        }
        return path.substring(1);
    }

    private static void send(HttpServletResponse res, int status, ObjectNode body) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.getOutputStream().write(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void unavailable(HttpServletResponse res, PersistenceException e) {
        getServletContext().log("key store unavailable: " + e.withCause());
        JsonErrors.write(res, 503, "storage_unavailable", "The key store is unavailable. Please try again.");
    }
}
