package org.chatrelay.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.chatrelay.persistence.Conversation;
import org.chatrelay.persistence.AnswerRewrites;

/**
 * {@code GET /api/conversations/{id}/export.md} and {@code …/export.json}: the conversation's current thread (what the
 * page shows: no version a regenerate or an edit replaced) as a download. Answers are their markdown source.
 */
final class ConversationExport {
    static final Set<String> FORMATS = Set.of("export.md", "export.json");

    private ConversationExport() {
    }

    static void write(ObjectMapper json, Transcript t, String format, HttpServletResponse res) throws IOException {
        Conversation c = t.conversation();
        boolean md = format.equals("export.md");
        res.setContentType(md ? "text/markdown;charset=utf-8" : "application/json;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        // The id, not the title, names the file: a title may hold anything a file name must not.
        res.setHeader("Content-Disposition", "attachment; filename=\"chatrelay-" + c.id() + (md ? ".md" : ".json") + "\"");
        res.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (md) {
            markdown(t, res.getWriter());
        } else {
            json.writerWithDefaultPrettyPrinter().writeValue(res.getWriter(), tree(json, t));
        }
    }

    static ObjectNode tree(ObjectMapper json, Transcript t) {
        ObjectNode root = json.createObjectNode();
        ObjectNode conv = root.putObject("conversation");
        conv.put("id", t.conversation().id());
        conv.put("title", t.conversation().title());
        conv.put("model", t.conversation().model());
        conv.put("createdAt", t.conversation().createdAt().toString());
        ArrayNode messages = root.putArray("messages");
        for (Transcript.MessageView m : t.messages()) {
            ObjectNode n = messages.addObject();
            n.put("id", m.id());
            n.put("role", m.role());
            if (m.kind() != null) {
                n.put("kind", m.kind());
            }
            n.put("content", m.content());
            n.put("status", m.status());
            n.put("createdAt", m.createdAt());
            if (m.feedback() != null) {
                n.set("feedback", json.valueToTree(m.feedback()));
            }
        }
        return root;
    }

    static void markdown(Transcript t, PrintWriter out) {
        out.print("# " + oneLine(t.conversation().title()) + "\n\n");
        for (Transcript.MessageView m : t.messages()) {
            boolean user = m.role().equals("user");
            out.print("## " + (user ? "You" : "Assistant") + "\n\n");
            if (AnswerRewrites.CONTINUE_KIND.equals(m.kind())) {
                out.print("_(asked to continue the answer)_\n\n");
                continue;
            }
            out.print(m.content().strip() + "\n\n");
            if (!user && !"completed".equals(m.status())) {
                out.print("_(ended: " + m.status() + ")_\n\n");
            }
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
