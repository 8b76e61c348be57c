package org.chatrelay.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.chatrelay.app.App;

/** {@code GET /api/conversations/{id}}: the visitor's own conversation and its messages; 404 for anyone else's. */
public final class ConversationApiServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        App app = App.from(getServletContext());
        String id = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        Optional<Transcript> t = ChatServlet.ID.matcher(id).matches()
                ? Transcript.load(app.conversations(), app.turns(), id, Visitor.of(req).id())
                : Optional.empty();
        if (t.isEmpty()) {
            JsonErrors.write(res, 404, "not_found", "Conversation not found.");
            return;
        }
        ObjectNode body = app.json().createObjectNode();
        ObjectNode c = body.putObject("conversation");
        c.put("id", t.get().conversation().id());
        c.put("title", t.get().conversation().title());
        c.put("model", t.get().conversation().model());
        c.put("createdAt", t.get().conversation().createdAt().toString());
        c.put("updatedAt", t.get().conversation().updatedAt().toString());
        body.set("messages", app.json().valueToTree(t.get().messages()));
        res.setContentType("application/json;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        app.json().writeValue(res.getOutputStream(), body);
    }
}
