package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.chatrelay.app.App;
import org.chatrelay.limits.LimitExceeded;
import org.chatrelay.limits.VisitorLimits;
import org.chatrelay.persistence.NotFoundException;
import org.chatrelay.persistence.PersistenceException;

/**
 * {@code POST /api/chat}: validates the message, stores it, then streams the answer as Server-Sent Events.
 * Everything refused here is refused before anything is stored or sent upstream.
 */
public final class ChatServlet extends HttpServlet {
    static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Set<String> FIELDS = Set.of("conversationId", "message");

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        App app = App.from(getServletContext());
        Visitor visitor = Visitor.of(req);
        String conversationId;
        String message;
        try {
            JsonNode body = JsonBody.read(req, app.json(), app.config().maxBodyBytes(), FIELDS);
            conversationId = JsonBody.optionalString(body, "conversationId");
            message = JsonBody.optionalString(body, "message");
            message = checkMessage(message, app.config().maxMessageChars());
            if (conversationId != null && !ID.matcher(conversationId).matches()) {
                // Same answer as for someone else's conversation: no oracle for which ids exist.
                throw new ApiException(404, "not_found", "Conversation not found.");
            }
        } catch (ApiException e) {
            JsonErrors.writeField(res, e.status, e.code, e.getMessage(), e.field);
            return;
        }
        if (app.draining()) {
            JsonErrors.write(res, 503, "shutting_down", "This server is restarting. Please try again in a moment.");
            return;
        }
        // Limits come after validation and before storage: a refused request costs neither a row nor an upstream call.
        try (VisitorLimits.Admission admission = app.limits().admit(visitor.id(), req.getRemoteAddr())) {
            app.relay().startTurn(admission.watch(req), visitor.id(), conversationId, message);
        } catch (LimitExceeded e) {
            JsonErrors.write(res, 429, e.code(), e.getMessage(), Optional.of(e.retryAfter()), null);
        } catch (NotFoundException e) {
            JsonErrors.write(res, 404, "not_found", "Conversation not found.");
        } catch (PersistenceException e) {
            getServletContext().log("storage unavailable: " + e.getMessage());
            JsonErrors.write(res, 503, "storage_unavailable", "The chat history store is unavailable. Please try again.");
        }
    }

    static String checkMessage(String message, int maxChars) throws ApiException {
        if (message == null) {
            throw new ApiException(400, "invalid_request", "'message' is required.", "message");
        }
        if (message.isBlank()) {
            throw new ApiException(400, "invalid_request", "The message is empty.", "message");
        }
        if (message.codePointCount(0, message.length()) > maxChars) {
            throw new ApiException(413, "message_too_large", "The message is longer than " + maxChars + " characters.", "message");
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean unpaired = Character.isHighSurrogate(c)
                    ? i + 1 >= message.length() || !Character.isLowSurrogate(message.charAt(++i))
                    : Character.isLowSurrogate(c);
            if (c == 0 || unpaired) {
                throw new ApiException(400, "invalid_characters", "The message contains characters that cannot be stored (NUL or a broken surrogate pair).", "message");
            }
        }
        return message;
    }
}
