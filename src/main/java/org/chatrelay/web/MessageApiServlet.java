package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.Ids;
import org.chatrelay.http.JsonBody;
import org.chatrelay.http.JsonErrors;
import org.chatrelay.markdown.MarkdownRenderer;
import org.chatrelay.persistence.ClientMetricsRepository;
import org.chatrelay.persistence.FeedbackRepository;
import org.chatrelay.persistence.HistoryRepository;
import org.chatrelay.persistence.Message;
import org.chatrelay.relay.Resumes;

/**
 * One message of the visitor's, and what the browser reports about an answer:
 * <ul>
 * <li>{@code GET /api/messages/{id}}: {@code {"id","role","status","content","html"}}; the page fetches the
 *     server's markdown rendering here when an answer ends;</li>
 * <li>{@code GET /api/messages/{id}/events} with {@code Last-Event-ID} or {@code ?after=}: the answer's events after that
 *     position, live until its terminal event (docs/api.md, "Resuming an answer");</li>
 * <li>{@code POST /api/messages/{id}/paint {"ttftMs"}}: milliseconds from the Send click to the first token painted;</li>
 * <li>{@code POST /api/messages/{id}/delivery {"maxLagMs","bufferingSuspected"}}: the buffering self-check;</li>
 * <li>{@code POST /api/messages/{id}/feedback {"rating":"up"|"down","comment"?}}: the visitor's rating of a finished
 *     answer, which a later post replaces.</li>
 * </ul>
 * Reports are stored once (the first wins) on the answer's usage row; another visitor's id is a 404.
 */
public final class MessageApiServlet extends HttpServlet {
    /** Longer than any answer may take (CHATRELAY_MAX_TURN_MS is 10 minutes by default): anything above is noise. */
    static final int MAX_REPORTED_MS = 3_600_000;
    private final ObjectMapper json;
    private final HistoryRepository history;
    private final MarkdownRenderer markdown;
    private final ClientMetricsRepository clientMetrics;
    private final FeedbackRepository feedback;
    private final Resumes resumes;

    public MessageApiServlet(ObjectMapper json, HistoryRepository history, MarkdownRenderer markdown,
                             ClientMetricsRepository clientMetrics, FeedbackRepository feedback, Resumes resumes) {
        this.json = json;
        this.history = history;
        this.markdown = markdown;
        this.clientMetrics = clientMetrics;
        this.feedback = feedback;
        this.resumes = resumes;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (req.getPathInfo() != null && req.getPathInfo().endsWith("/events")) {
            resume(req, res);
            return;
        }
        String id = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        Optional<Message> m = Ids.UUID.matcher(id).matches() ? history.findMessage(id, Visitor.of(req).id()) : Optional.empty();
        if (m.isEmpty()) {
            JsonErrors.write(res, 404, "not_found", "Message not found.");
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.put("id", m.get().id());
        body.put("role", m.get().role());
        body.put("status", m.get().status());
        body.put("content", m.get().content());
        boolean rendered = m.get().role().equals("assistant") && !m.get().status().equals("streaming");
        body.put("html", rendered ? markdown.toHtml(m.get().content()) : null);
        JsonBody.write(res, json, body);
    }

    private void resume(HttpServletRequest req, HttpServletResponse res) throws IOException {
        try {
            IdAction path = IdAction.of(req, "Message not found.");
            if (!path.action().equals("events")) {
                throw new ApiException(404, "not_found", "Message not found.");
            }
            // The header is what a browser's EventSource sends on its own reconnect; it wins over the query.
            String header = req.getHeader("Last-Event-ID");
            resumes.resume(req, path.id(), Visitor.of(req).id(), header != null ? header : req.getParameter("after"));
        } catch (ApiException e) {
            JsonErrors.writeField(res, e.status, e.code, e.getMessage(), e.field);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String visitorId = Visitor.of(req).id();
        try {
            IdAction path = IdAction.of(req, "Message not found.");
            boolean found = switch (path.action()) {
                case "paint" -> {
                    JsonNode body = JsonBody.read(req, json, 1024, Set.of("ttftMs"));
                    yield clientMetrics.recordPaint(path.id(), visitorId, millis(body, "ttftMs"));
                }
                case "delivery" -> {
                    JsonNode body = JsonBody.read(req, json, 1024, Set.of("maxLagMs", "bufferingSuspected"));
                    JsonNode flag = body.get("bufferingSuspected");
                    if (flag == null || !flag.isBoolean()) {
                        throw new ApiException(400, "invalid_request", "'bufferingSuspected' must be true or false.");
                    }
                    yield clientMetrics.recordDelivery(path.id(), visitorId, millis(body, "maxLagMs"), flag.booleanValue());
                }
                case "feedback" -> feedback.rateAnswer(path.id(), visitorId,
                        FeedbackBody.parse(JsonBody.read(req, json, FeedbackBody.MAX_BYTES, FeedbackBody.FIELDS)), Instant.now());
                default -> throw new ApiException(404, "not_found", "No such report.");
            };
            if (!found) {
                throw new ApiException(404, "not_found", "Message not found.");
            }
            res.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } catch (ApiException e) {
            JsonErrors.writeField(res, e.status, e.code, e.getMessage(), e.field);
        }
    }

    private static int millis(JsonNode body, String field) throws ApiException {
        JsonNode v = body.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0 || v.intValue() > MAX_REPORTED_MS) {
            throw new ApiException(400, "invalid_request", "'" + field + "' must be a whole number of milliseconds from 0 to " + MAX_REPORTED_MS + ".");
        }
        return v.intValue();
    }
}
