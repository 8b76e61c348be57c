package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.chatrelay.config.ModelCatalog;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.Ids;
import org.chatrelay.http.JsonBody;
import org.chatrelay.http.JsonErrors;
import org.chatrelay.persistence.Conversation;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.HistoryRepository;

/**
 * The visitor's conversations. Someone else's id, or one that does not exist, is the same 404.
 * <ul>
 * <li>{@code GET /api/conversations[?q=text]}: the list, newest first; {@code q} searches titles and message text;</li>
 * <li>{@code GET /api/conversations/{id}}: one conversation with its current messages;</li>
 * <li>{@code GET /api/conversations/{id}/export.md} and {@code …/export.json}: the same thread as a download;</li>
 * <li>{@code POST /api/conversations/{id}/rename {"title"}}, {@code …/model {"model"}}, {@code …/delete {}}.</li>
 * </ul>
 * Changes are POSTs (not PUT/DELETE) so they pass the same Origin + CSRF checks as every other API write.
 */
public final class ConversationApiServlet extends HttpServlet {
    static final int MAX_QUERY_CHARS = 200;
    private final ObjectMapper json;
    private final Transcripts transcripts;
    private final ConversationRepository conversations;
    private final HistoryRepository history;
    private final ModelCatalog models;
    /** How many conversations a list shows: the same as the chat page's sidebar. */
    private final int listLimit;

    public ConversationApiServlet(ObjectMapper json, Transcripts transcripts, ConversationRepository conversations,
                                  HistoryRepository history, ModelCatalog models, int listLimit) {
        this.json = json;
        this.transcripts = transcripts;
        this.conversations = conversations;
        this.history = history;
        this.models = models;
        this.listLimit = listLimit;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String visitorId = Visitor.of(req).id();
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.isEmpty() || path.equals("/")) {
            list(req, res, visitorId);
            return;
        }
        String[] parts = path.substring(1).split("/", -1);
        String id = parts[0];
        boolean export = parts.length == 2 && ConversationExport.FORMATS.contains(parts[1]);
        Optional<Transcript> t = Ids.UUID.matcher(id).matches() && (parts.length == 1 || export)
                ? transcripts.load(id, visitorId) : Optional.empty();
        if (t.isEmpty()) {
            JsonErrors.write(res, 404, "not_found", "Conversation not found.");
            return;
        }
        if (export) {
            ConversationExport.write(json, t.get(), parts[1], res);
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.set("conversation", summary(t.get().conversation()));
        body.set("messages", json.valueToTree(t.get().messages()));
        body.put("replacedCount", t.get().replacedCount());
        JsonBody.write(res, json, body);
    }

    private void list(HttpServletRequest req, HttpServletResponse res, String visitorId) throws IOException {
        String q = req.getParameter("q");
        if (q != null && q.length() > MAX_QUERY_CHARS) {
            JsonErrors.write(res, 400, "invalid_request", "The search is longer than " + MAX_QUERY_CHARS + " characters.");
            return;
        }
        List<Conversation> found = q == null || q.isBlank()
                ? conversations.listByVisitor(visitorId, listLimit)
                : history.search(visitorId, q.strip(), listLimit);
        ObjectNode body = json.createObjectNode();
        ArrayNode items = body.putArray("conversations");
        found.forEach(c -> items.add(summary(c)));
        JsonBody.write(res, json, body);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String visitorId = Visitor.of(req).id();
        try {
            IdAction path = IdAction.of(req, "Conversation not found.");
            String id = path.id();
            boolean found = switch (path.action()) {
                case "rename" -> history.rename(id, visitorId, title(JsonBody.read(req, json, 4096, Set.of("title"))));
                case "model" -> history.rememberModel(id, visitorId, model(JsonBody.read(req, json, 1024, Set.of("model"))));
                case "delete" -> {
                    JsonBody.read(req, json, 1024, Set.of());
                    yield history.delete(id, visitorId);
                }
                default -> throw new ApiException(404, "not_found", "No such action.");
            };
            if (!found) {
                throw new ApiException(404, "not_found", "Conversation not found.");
            }
            if (path.action().equals("rename")) {
                JsonBody.write(res, json, summary(conversations.findOwned(id, visitorId).orElseThrow()));
            } else {
                res.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
        } catch (ApiException e) {
            JsonErrors.write(res, e.status, e.code, e.getMessage());
        }
    }

    /** One line, not blank, at most 200 characters, nothing that cannot be stored. */
    static String title(JsonNode body) throws ApiException {
        String raw = JsonBody.optionalString(body, "title");
        if (raw == null || raw.isBlank()) {
            throw new ApiException(400, "invalid_request", "'title' is required and may not be blank.");
        }
        String title = raw.strip().replaceAll("\\s+", " ");
        if (title.codePointCount(0, title.length()) > 200) {
            throw new ApiException(400, "invalid_request", "'title' is longer than 200 characters.");
        }
        return MessageText.check(title, 200);
    }

    private String model(JsonNode body) throws ApiException {
        String model = JsonBody.optionalString(body, "model");
        if (!models.contains(model)) {
            throw new ApiException(400, "invalid_request", "'model' is not one of the configured models.");
        }
        return model;
    }

    private ObjectNode summary(Conversation c) {
        ObjectNode n = json.createObjectNode();
        n.put("id", c.id());
        n.put("title", c.title());
        n.put("model", c.model());
        n.put("createdAt", c.createdAt().toString());
        n.put("updatedAt", c.updatedAt().toString());
        return n;
    }
}
