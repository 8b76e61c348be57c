package org.chatrelay.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.chatrelay.config.Dialect;
import org.chatrelay.gateway.errors.ErrorKind;
import org.chatrelay.gateway.errors.GatewayError;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.keys.VirtualKey;
import org.chatrelay.gateway.wire.GatewayRequest;
import org.chatrelay.persistence.PersistenceException;

/**
 * {@code POST /v1/chat/completions} (OpenAI) and {@code POST /v1/messages} (Anthropic): every refusal in the dialect
 * the client spoke, so the official SDKs raise their typed exceptions.
 */
public final class GatewayServlet extends HttpServlet {
    /** Far above any text prompt; a body larger than this is refused before it is parsed. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private final ObjectMapper json;
    private final GatewayCalls calls;

    public GatewayServlet(ObjectMapper json, GatewayCalls calls) {
        this.json = json;
        this.calls = calls;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Dialect dialect = "/v1/messages".equals(req.getServletPath()) ? Dialect.ANTHROPIC : Dialect.OPENAI;
        try {
            VirtualKey key = calls.authenticate(req);
            calls.start(req, key, dialect, body(req));
        } catch (Refusal e) {
            e.error().write(res, dialect);
        } catch (GatewayRequest.BadRequest e) {
            e.error().write(res, dialect);
        } catch (GatewayCalls.ModelNotFound e) {
            e.error().write(res, dialect);
        } catch (PersistenceException e) {
            GatewayError.retryAfter(ErrorKind.OVERLOADED, "The store is unavailable; try again shortly.", 5).write(res, dialect);
        }
    }

    private JsonNode body(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY_BYTES) {
            throw new GatewayRequest.BadRequest(null, "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new GatewayRequest.BadRequest(null, "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
        try {
            return json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new GatewayRequest.BadRequest(null, "The request body is not valid JSON.");
        }
    }
}
