package org.chatrelay.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.chatrelay.config.ModelCatalog;
import org.chatrelay.http.Ids;
import org.chatrelay.http.Templates;
import org.chatrelay.persistence.ConversationRepository;
import org.thymeleaf.context.WebContext;

/**
 * {@code GET /} (a new chat) and {@code GET /c/{id}} (a conversation, its history rendered on the server, answers
 * as sanitized markdown), both with the visitor's conversations in the sidebar and the model picker.
 */
public final class ChatPageServlet extends HttpServlet {
    private final Templates templates;
    private final Transcripts transcripts;
    private final ConversationRepository conversations;
    private final ModelCatalog models;
    /** The built-in offline upstream answers: the page says so. */
    private final boolean demo;
    /** How many conversations the sidebar shows: the same as GET /api/conversations. */
    private final int listLimit;

    public ChatPageServlet(Templates templates, Transcripts transcripts, ConversationRepository conversations,
                           ModelCatalog models, boolean demo, int listLimit) {
        this.templates = templates;
        this.transcripts = transcripts;
        this.conversations = conversations;
        this.models = models;
        this.demo = demo;
        this.listLimit = listLimit;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Visitor visitor = Visitor.of(req);
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        Optional<Transcript> transcript = Optional.empty();
        if (path.startsWith("/c/")) {
            String id = path.substring(3);
            transcript = Ids.UUID.matcher(id).matches() ? transcripts.load(id, visitor.id()) : Optional.empty();
            if (transcript.isEmpty()) {
                res.setStatus(HttpServletResponse.SC_NOT_FOUND);
            }
        } else if (!path.equals("/") && !path.isEmpty()) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String remembered = transcript.map(t -> t.conversation().model()).orElse(null);
        WebContext ctx = templates.context(req, res);
        ctx.setVariable("csrfToken", visitor.csrfToken());
        ctx.setVariable("demo", demo);
        ctx.setVariable("models", models.models());
        ctx.setVariable("model", models.contains(remembered) ? remembered : models.defaultModel());
        ctx.setVariable("conversation", transcript.map(Transcript::conversation).orElse(null));
        ctx.setVariable("messages", transcript.map(Transcript::messages).orElse(List.of()));
        ctx.setVariable("replacedCount", transcript.map(Transcript::replacedCount).orElse(0));
        ctx.setVariable("history", conversations.listByVisitor(visitor.id(), listLimit));
        ctx.setVariable("notFound", path.startsWith("/c/") && transcript.isEmpty());
        res.setContentType("text/html;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        templates.render("chat", ctx, res.getWriter());
    }
}
