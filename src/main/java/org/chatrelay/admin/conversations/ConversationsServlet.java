package org.chatrelay.admin.conversations;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.admin.report.BadFilterException;
import org.chatrelay.admin.web.AdminPages;
import org.chatrelay.admin.web.Format;
import org.chatrelay.http.Ids;
import org.chatrelay.persistence.ClientMetricsRepository;
import org.chatrelay.persistence.Conversation;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.ThinkingRepository;
import org.chatrelay.persistence.AnswerRepository;
import org.chatrelay.persistence.UsageRecord;

/** {@code GET /admin/conversations} (search and list) and {@code GET /admin/conversations/{id}} (a transcript with metrics). */
public final class ConversationsServlet extends HttpServlet {
    private final AdminPages pages;
    private final AdminConversations conversations;
    private final ConversationRepository messages;
    private final AnswerRepository answers;
    private final ClientMetricsRepository clientMetrics;
    private final ThinkingRepository thinking;

    public ConversationsServlet(AdminPages pages, AdminConversations conversations, ConversationRepository messages,
                                AnswerRepository answers, ClientMetricsRepository clientMetrics, ThinkingRepository thinking) {
        this.pages = pages;
        this.conversations = conversations;
        this.messages = messages;
        this.answers = answers;
        this.clientMetrics = clientMetrics;
        this.thinking = thinking;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        if (path.equals("/")) {
            list(req, res);
        } else {
            transcript(req, res, path.substring(1));
        }
    }

    private void list(HttpServletRequest req, HttpServletResponse res) throws IOException {
        ConversationQuery q;
        try {
            q = ConversationQuery.parse(req.getParameterMap());
        } catch (BadFilterException e) {
            pages.error(req, res, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        List<ConversationSummary> rows = conversations.list(q);
        boolean more = rows.size() > ConversationQuery.PAGE_SIZE;
        Map<String, Object> vars = new HashMap<>();
        vars.put("q", q);
        vars.put("rows", more ? rows.subList(0, ConversationQuery.PAGE_SIZE) : rows);
        vars.put("next", more ? q.atPage(q.page() + 1) : null);
        vars.put("previous", q.page() > 1 ? q.atPage(q.page() - 1) : null);
        vars.put("fmt", new Format());
        pages.render(req, res, HttpServletResponse.SC_OK, "admin/conversations", vars);
    }

    private void transcript(HttpServletRequest req, HttpServletResponse res, String id) throws IOException {
        Optional<Conversation> c = Ids.UUID.matcher(id).matches() ? conversations.find(id) : Optional.empty();
        if (c.isEmpty()) {
            pages.error(req, res, HttpServletResponse.SC_NOT_FOUND, "No such conversation.");
            return;
        }
        Map<String, UsageRecord> usage = new HashMap<>();
        for (UsageRecord u : answers.usageForConversation(id)) {
            if (u.messageId() != null) {
                usage.put(u.messageId(), u);
            }
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("conversation", c.get());
        vars.put("messages", messages.messages(id));
        vars.put("usage", usage);
        // The browser's end of the latency chain and the buffering self-check (issue 5), reported by the reader.
        vars.put("client", clientMetrics.forConversation(id));
        vars.put("thinking", thinking.forConversation(id));
        vars.put("fmt", new Format());
        pages.render(req, res, HttpServletResponse.SC_OK, "admin/conversation", vars);
    }
}
