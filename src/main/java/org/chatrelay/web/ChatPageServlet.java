package org.chatrelay.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.chatrelay.app.App;
import org.thymeleaf.context.WebContext;

/**
 * {@code GET /} (a new chat) and {@code GET /c/{id}} (a conversation, its history rendered on the server, answers
 * as sanitized markdown), both with the visitor's conversations in the sidebar and the model picker.
 */
public final class ChatPageServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        App app = App.from(getServletContext());
        Visitor visitor = Visitor.of(req);
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        Optional<Transcript> transcript = Optional.empty();
        if (path.startsWith("/c/")) {
            String id = path.substring(3);
            transcript = ChatServlet.ID.matcher(id).matches() ? Transcript.load(app, id, visitor.id()) : Optional.empty();
            if (transcript.isEmpty()) {
                res.setStatus(HttpServletResponse.SC_NOT_FOUND);
            }
        } else if (!path.equals("/") && !path.isEmpty()) {
            res.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String remembered = transcript.map(t -> t.conversation().model()).orElse(null);
        WebContext ctx = app.templates().context(req, res);
        ctx.setVariable("csrfToken", visitor.csrfToken());
        ctx.setVariable("demo", app.config().demo());
        ctx.setVariable("models", app.models().models());
        ctx.setVariable("model", app.models().contains(remembered) ? remembered : app.models().defaultModel());
        ctx.setVariable("conversation", transcript.map(Transcript::conversation).orElse(null));
        ctx.setVariable("messages", transcript.map(Transcript::messages).orElse(List.of()));
        ctx.setVariable("replacedCount", transcript.map(Transcript::replacedCount).orElse(0));
        ctx.setVariable("history", app.conversations().listByVisitor(visitor.id(), ConversationApiServlet.LIST_LIMIT));
        ctx.setVariable("notFound", path.startsWith("/c/") && transcript.isEmpty());
        res.setContentType("text/html;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        app.templates().render("chat", ctx, res.getWriter());
    }
}
