package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.chatrelay.app.App;
import org.chatrelay.limits.LimitExceeded;
import org.chatrelay.limits.VisitorLimits;
import org.chatrelay.persistence.ConflictException;
import org.chatrelay.persistence.NotFoundException;
import org.chatrelay.persistence.PersistenceException;

/**
 * {@code POST /api/chat}: validates the request ({@link ChatRequest}: a question, a regenerate, an edit or a continue),
 * stores it, then streams the answer as Server-Sent Events. Everything refused here is refused before anything is
 * stored or sent upstream.
 */
public final class ChatServlet extends HttpServlet {
    static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        App app = App.from(getServletContext());
        Visitor visitor = Visitor.of(req);
        ChatRequest chat;
        try {
            JsonNode body = JsonBody.read(req, app.json(), app.config().maxBodyBytes(), ChatRequest.FIELDS);
            chat = ChatRequest.from(body, app.config().maxMessageChars(), app.models());
        } catch (ApiException e) {
            JsonErrors.writeField(res, e.status, e.code, e.getMessage(), e.field);
            return;
        }
        if (app.draining()) {
            JsonErrors.write(res, 503, "shutting_down", "This server is restarting. Please try again in a moment.");
            return;
        }
        // Limits come after validation and before storage: a refused request costs neither a row nor an upstream call.
        try (VisitorLimits.Admission admission = app.limits().admit(visitor.id(), app.trustedProxies().clientAddress(req))) {
            String model = modelFor(app, chat, visitor.id());
            app.relay().startTurn(admission.watch(req), visitor.id(), chat.conversationId(), chat.message(), model,
                    chat.opener(app.rewrites(), app.relay()::begin));
        } catch (LimitExceeded e) {
            JsonErrors.write(res, 429, e.code(), e.getMessage(), Optional.of(e.retryAfter()), null);
        } catch (NotFoundException e) {
            JsonErrors.write(res, 404, "not_found", "Conversation not found.");
        } catch (ConflictException e) {
            JsonErrors.write(res, 409, e.code(), e.getMessage());
        } catch (PersistenceException e) {
            getServletContext().log("storage unavailable: " + e.getMessage());
            JsonErrors.write(res, 503, "storage_unavailable", "The chat history store is unavailable. Please try again.");
        }
    }

    /** The picked model, remembered for the conversation; else the one it remembers (while still offered); else the default. */
    private static String modelFor(App app, ChatRequest chat, String visitorId) {
        if (chat.conversationId() == null) {
            return chat.model() != null ? chat.model() : app.models().defaultModel();
        }
        if (chat.model() != null) {
            if (!app.history().rememberModel(chat.conversationId(), visitorId, chat.model())) {
                throw new NotFoundException("no conversation " + chat.conversationId() + " for this visitor");
            }
            return chat.model();
        }
        String remembered = app.conversations().findOwned(chat.conversationId(), visitorId)
                .orElseThrow(() -> new NotFoundException("no conversation " + chat.conversationId() + " for this visitor"))
                .model();
        return app.models().contains(remembered) ? remembered : app.models().defaultModel();
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
