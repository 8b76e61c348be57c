package org.chatrelay.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.chatrelay.config.Dialect;
import org.chatrelay.gateway.errors.ErrorKind;
import org.chatrelay.gateway.errors.GatewayError;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.keys.VirtualKey;
import org.chatrelay.gateway.wire.ResponseId;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.JsonBody;
import org.chatrelay.persistence.Feedback;
import org.chatrelay.persistence.FeedbackRepository;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.web.FeedbackBody;

/**
 * {@code POST /v1/feedback {"id","rating":"up"|"down","comment"?}}: a gateway caller rates one of its key's finished
 * calls (204), by the {@link ResponseId} it got. Rating again replaces the rating. Another key's call answers exactly
 * as an unknown id does (404), so a key learns nothing of calls it did not make.
 */
public final class FeedbackServlet extends HttpServlet {
    private static final Set<String> FIELDS = fields();
    private final ObjectMapper json;
    private final GatewayCalls calls;
    private final FeedbackRepository feedback;
    private final Clock clock;

    public FeedbackServlet(ObjectMapper json, GatewayCalls calls, FeedbackRepository feedback, Clock clock) {
        this.json = json;
        this.calls = calls;
        this.feedback = feedback;
        this.clock = clock;
    }

    private static Set<String> fields() {
        Set<String> f = new HashSet<>(FeedbackBody.FIELDS);
        f.add("id");
        return Set.copyOf(f);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        // No path tells the dialect here: an Anthropic SDK or client sends its version header, or at least x-api-key.
        Dialect dialect = req.getHeader("anthropic-version") != null || req.getHeader("x-api-key") != null
                ? Dialect.ANTHROPIC : Dialect.OPENAI;
        try {
            VirtualKey key = calls.authenticate(req);
            JsonNode body = JsonBody.read(req, json, FeedbackBody.MAX_BYTES, FIELDS);
            String id = JsonBody.optionalString(body, "id");
            if (id == null || id.isBlank()) {
                throw new ApiException(400, "invalid_request", "'id' is required: the response's id or its "
                        + ResponseId.HEADER + " header.", "id");
            }
            Feedback rating = FeedbackBody.parse(body);
            Optional<String> messageId = ResponseId.messageId(id);
            if (messageId.isEmpty() || !feedback.rateCall(messageId.get(), key.id(), rating, clock.instant())) {
                GatewayError.of(ErrorKind.NOT_FOUND, "No finished call of this key has the response id '" + id
                        + "'; a passed-through stream's own ids are the provider's: send the " + ResponseId.HEADER
                        + " header's value.").write(res, dialect);
                return;
            }
            res.setStatus(HttpServletResponse.SC_NO_CONTENT);
            res.setHeader("Cache-Control", "no-store");
        } catch (Refusal e) {
            e.error().write(res, dialect);
        } catch (ApiException e) {
            // Any malformed body (type, size, JSON, members) is the caller's: 400 in both dialects, naming the member.
            GatewayError.invalid(e.field, e.getMessage()).write(res, dialect);
        } catch (PersistenceException e) {
            GatewayError.retryAfter(ErrorKind.OVERLOADED, "The store is unavailable; try again shortly.", 5).write(res, dialect);
        }
    }
}
