package org.chatrelay.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.chatrelay.config.Dialect;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.keys.VirtualKey;

/** {@code GET /v1/models}: the models the key may use, in OpenAI's list shape (Anthropic clients call it with x-api-key). */
public final class ModelsServlet extends HttpServlet {
    private final ObjectMapper json;
    private final GatewayCalls calls;

    public ModelsServlet(ObjectMapper json, GatewayCalls calls) {
        this.json = json;
        this.calls = calls;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Dialect dialect = req.getHeader("anthropic-version") != null ? Dialect.ANTHROPIC : Dialect.OPENAI;
        VirtualKey key;
        try {
            key = calls.authenticate(req);
        } catch (Refusal e) {
            e.error().write(res, dialect);
            return;
        }
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String model : calls.models(key)) {
            data.addObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", "chatrelay");
        }
        res.setContentType("application/json");
        res.setCharacterEncoding("utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.getOutputStream().write(list.toString().getBytes(StandardCharsets.UTF_8));
    }
}
