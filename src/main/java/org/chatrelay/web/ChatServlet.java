package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.chatrelay.config.ModelCatalog;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.JsonBody;
import org.chatrelay.http.JsonErrors;
import org.chatrelay.http.TrustedProxies;
import org.chatrelay.limits.LimitExceeded;
import org.chatrelay.limits.VisitorLimits;
import org.chatrelay.persistence.ConflictException;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.HistoryRepository;
import org.chatrelay.persistence.NotFoundException;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.persistence.AnswerRewrites;
import org.chatrelay.relay.RelayService;

/**
 * {@code POST /api/chat}: validates the request ({@link ChatRequest}: a question, a regenerate, an edit or a continue),
 * stores it, then streams the answer as Server-Sent Events. Everything refused here is refused before anything is
 * stored or sent upstream.
 */
public final class ChatServlet extends HttpServlet {
    private final ObjectMapper json;
    private final int maxBodyBytes;
    private final int maxMessageChars;
    private final ModelCatalog models;
    private final BooleanSupplier draining;
    private final VisitorLimits limits;
    private final TrustedProxies trustedProxies;
    private final RelayService relay;
    private final AnswerRewrites rewrites;
    private final HistoryRepository history;
    private final ConversationRepository conversations;

    public ChatServlet(ObjectMapper json, int maxBodyBytes, int maxMessageChars, ModelCatalog models, BooleanSupplier draining,
                       VisitorLimits limits, TrustedProxies trustedProxies, RelayService relay, AnswerRewrites rewrites,
                       HistoryRepository history, ConversationRepository conversations) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.maxMessageChars = maxMessageChars;
        this.models = models;
        this.draining = draining;
        this.limits = limits;
        this.trustedProxies = trustedProxies;
        this.relay = relay;
        this.rewrites = rewrites;
        this.history = history;
        this.conversations = conversations;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Visitor visitor = Visitor.of(req);
        ChatRequest chat;
        try {
            JsonNode body = JsonBody.read(req, json, maxBodyBytes, ChatRequest.FIELDS);
            chat = ChatRequest.from(body, maxMessageChars, models);
        } catch (ApiException e) {
            JsonErrors.writeField(res, e.status, e.code, e.getMessage(), e.field);
            return;
        }
        if (draining.getAsBoolean()) {
            JsonErrors.write(res, 503, "shutting_down", "This server is restarting. Please try again in a moment.");
            return;
        }
        if (!relay.storageAvailable()) {
            // Before the limits and the model lookup, which read the database: while answers are being spooled, refuse
            // at once instead of holding this request for the connection pool's timeout first.
            JsonErrors.write(res, 503, "storage_unavailable", "The chat history store is unavailable. Please try again.");
            return;
        }
        // Limits come after validation and before storage: a refused request costs neither a row nor an upstream call.
        try (VisitorLimits.Admission admission = limits.admit(visitor.id(), trustedProxies.clientAddress(req))) {
            String model = modelFor(chat, visitor.id());
            if (chat.question()) {
                relay.startQuestion(req, visitor.id(), chat.conversationId(), chat.message(), model, admission::answerEnded);
            } else {
                relay.startRewrite(req, visitor.id(), chat.conversationId(), chat.message(), model,
                        chat.opener(rewrites), admission::answerEnded);
            }
            admission.handedOver();
        } catch (LimitExceeded e) {
            JsonErrors.write(res, 429, e.code(), e.getMessage(), Optional.of(e.retryAfter()), null);
        } catch (NotFoundException e) {
            JsonErrors.write(res, 404, "not_found", "Conversation not found.");
        } catch (ConflictException e) {
            JsonErrors.write(res, 409, e.code(), e.getMessage());
        } catch (PersistenceException e) {
            getServletContext().log("storage unavailable: " + e.withCause());
            JsonErrors.write(res, 503, "storage_unavailable", "The chat history store is unavailable. Please try again.");
        }
    }

    /** The picked model, remembered for the conversation; else the one it remembers (while still offered); else the default. */
    private String modelFor(ChatRequest chat, String visitorId) {
        if (chat.conversationId() == null) {
            return chat.model() != null ? chat.model() : models.defaultModel();
        }
        if (chat.model() != null) {
            if (!history.rememberModel(chat.conversationId(), visitorId, chat.model())) {
                throw new NotFoundException("no conversation " + chat.conversationId() + " for this visitor");
            }
            return chat.model();
        }
        String remembered = conversations.findOwned(chat.conversationId(), visitorId)
                .orElseThrow(() -> new NotFoundException("no conversation " + chat.conversationId() + " for this visitor"))
                .model();
        return models.contains(remembered) ? remembered : models.defaultModel();
    }
}
