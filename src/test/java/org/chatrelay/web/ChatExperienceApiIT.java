package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The history, message, rework, rating and export APIs at the HTTP level: ownership, CSRF, validation, and what is stored. */
class ChatExperienceApiIT {
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("chat-api").threads(16);

    private static ChatClient visitor() throws Exception {
        return new ChatClient(app.base()).open();
    }

    private static int post(ChatClient c, String path, String json) throws Exception {
        return c.send(c.post(path, json).build()).statusCode();
    }

    @Test
    void another_visitors_conversation_and_messages_are_404_for_every_read_and_write() throws Exception {
        ChatClient alice = visitor();
        SseStream s = alice.chat(null, "Alice's secret plans");
        String conversation = s.first("start").data().get("conversationId").asText();
        String answer = s.first("start").data().get("messageId").asText();
        ChatClient mallory = visitor();

        assertEquals(0, mallory.getJson("api/conversations").get("conversations").size());
        assertEquals(0, mallory.getJson("api/conversations?q=secret").get("conversations").size());
        assertEquals(404, mallory.get("api/conversations/" + conversation).statusCode());
        assertEquals(404, mallory.get("api/messages/" + answer).statusCode());
        assertEquals(404, post(mallory, "api/conversations/" + conversation + "/rename", "{\"title\":\"pwned\"}"));
        assertEquals(404, post(mallory, "api/conversations/" + conversation + "/model", "{\"model\":\"deepseek-v3.2\"}"));
        assertEquals(404, post(mallory, "api/conversations/" + conversation + "/delete", "{}"));
        assertEquals(404, post(mallory, "api/messages/" + answer + "/paint", "{\"ttftMs\":1}"));
        assertEquals(404, post(mallory, "api/chat", "{\"conversationId\":\"" + conversation + "\",\"regenerate\":true}"));
        assertEquals(404, post(mallory, "api/conversations/not-an-id/delete", "{}"));

        Map<String, Object> kept = app.rows.one("SELECT title FROM conversation WHERE id = ?", conversation);
        assertEquals("Alice's secret plans", kept.get("title"), "nothing changed");
        assertEquals(1, alice.getJson("api/conversations").get("conversations").size());
        assertEquals("Hello world", alice.getJson("api/messages/" + answer).get("content").asText());
        assertEquals("<p>Hello world</p>\n", alice.getJson("api/messages/" + answer).get("html").asText());
    }

    @Test
    void writes_need_the_same_origin_and_the_csrf_token() throws Exception {
        ChatClient c = visitor();
        String conversation = c.chat(null, "hi").first("start").data().get("conversationId").asText();
        String path = "api/conversations/" + conversation + "/rename";
        HttpRequest noToken = HttpRequest.newBuilder(app.base().resolve(path)).header("Content-Type", "application/json")
                .header("Origin", app.base().toString().replaceAll("/$", "")).POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"x\"}")).build();
        assertEquals(403, c.http().send(noToken, HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpRequest crossSite = c.post(path, "{\"title\":\"x\"}").setHeader("Origin", "https://evil.example").build();
        assertEquals(403, c.send(crossSite).statusCode());
        HttpRequest plain = c.post(path, "{\"title\":\"x\"}").setHeader("Content-Type", "text/plain").build();
        assertEquals(415, c.send(plain).statusCode());
        assertEquals("hi", app.rows.one("SELECT title FROM conversation WHERE id = ?", conversation).get("title"));
    }

    @Test
    void bad_input_is_refused_with_a_clear_error_before_anything_happens() throws Exception {
        ChatClient c = visitor();
        SseStream s = c.chat(null, "Tell me [count]");
        String conversation = s.first("start").data().get("conversationId").asText();
        String answer = s.first("start").data().get("messageId").asText();
        String question = s.first("start").data().get("userMessageId").asText();
        int requests = app.upstream.requests.size();

        assertEquals(400, post(c, "api/conversations/" + conversation + "/rename", "{\"title\":\"   \"}"));
        assertEquals(400, post(c, "api/conversations/" + conversation + "/rename", "{\"title\":\"" + "x".repeat(201) + "\"}"));
        assertEquals(400, post(c, "api/conversations/" + conversation + "/rename", "{\"title\":\"ok\",\"extra\":1}"));
        assertEquals(400, post(c, "api/conversations/" + conversation + "/model", "{\"model\":\"x'; DROP TABLE t;--\"}"));
        assertEquals(400, post(c, "api/chat", "{\"message\":\"hi\",\"model\":\"x'; DROP TABLE t;--\"}"));
        assertEquals(400, post(c, "api/chat", "{\"regenerate\":true}"), "regenerate needs a conversation");
        assertEquals(400, post(c, "api/chat", "{\"conversationId\":\"" + conversation + "\",\"regenerate\":true,\"message\":\"x\"}"));
        assertEquals(400, post(c, "api/chat", "{\"conversationId\":\"" + conversation + "\",\"regenerate\":\"yes\"}"));
        assertEquals(400, post(c, "api/chat", "{\"conversationId\":\"" + conversation + "\",\"regenerate\":true,\"continueOf\":\"" + answer + "\"}"));
        assertEquals(400, post(c, "api/messages/" + answer + "/paint", "{\"ttftMs\":-1}"));
        assertEquals(400, post(c, "api/messages/" + answer + "/paint", "{\"ttftMs\":1.5}"));
        assertEquals(400, post(c, "api/messages/" + answer + "/delivery", "{\"maxLagMs\":3}"));
        assertEquals(409, postJsonCode(c, "{\"conversationId\":\"" + conversation + "\",\"continueOf\":\"" + answer + "\"}", "not_continuable"));
        assertEquals(409, postJsonCode(c, "{\"conversationId\":\"" + conversation + "\",\"editOf\":\"" + answer + "\",\"message\":\"x\"}", "not_last_question"));
        assertEquals(requests, app.upstream.requests.size(), "nothing went upstream");
        assertEquals(2, ((Number) app.rows.one("SELECT COUNT(*) AS n FROM message WHERE conversation_id = ?", conversation).get("n")).intValue());

        assertEquals(204, post(c, "api/messages/" + answer + "/paint", "{\"ttftMs\":321}"));
        assertEquals(204, post(c, "api/messages/" + answer + "/paint", "{\"ttftMs\":9}"));
        assertEquals(321, ((Number) app.rows.one("SELECT client_ttft_ms FROM answer_usage WHERE message_id = ?", answer).get("client_ttft_ms")).intValue(),
                "the first report wins");
        assertEquals(question, app.rows.one("SELECT id FROM message WHERE conversation_id = ? AND role = 'user'", conversation).get("id"));
    }

    @Test
    void search_matches_title_and_text_case_blind_and_wildcards_only_literally() throws Exception {
        ChatClient c = visitor();
        c.chat(null, "Budget at 100% for Q3");
        c.chat(null, "Gardening");
        assertEquals(1, c.getJson("api/conversations?q=" + enc("100%")).get("conversations").size());
        assertEquals(0, c.getJson("api/conversations?q=" + enc("1_0")).get("conversations").size(), "_ is not a wildcard");
        assertEquals(2, c.getJson("api/conversations?q=HELLO").get("conversations").size(), "both answers say Hello world");
        JsonNode one = c.getJson("api/conversations?q=garden").get("conversations");
        assertEquals("Gardening", one.get(0).get("title").asText());
        assertEquals(400, c.get("api/conversations?q=" + "x".repeat(201)).statusCode());
    }

    private static int postJsonCode(ChatClient c, String json, String code) throws Exception {
        HttpResponse<String> r = c.send(c.post("api/chat", json).build());
        assertTrue(r.body().contains("\"code\":\"" + code + "\""), r.body());
        return r.statusCode();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    // Ratings and exports (issue 17).

    private static Map<String, Object> feedback(String answer) {
        List<Map<String, Object>> found = app.rows.query("SELECT f.rating, f.comment, f.rater, f.source FROM answer_feedback f"
                + " JOIN answer_usage u ON u.id = f.usage_id WHERE u.message_id = ?", answer);
        return found.isEmpty() ? null : found.get(0);
    }

    @Test
    void a_rating_is_stored_once_per_answer_changeable_and_only_by_the_visitor_who_asked() throws Exception {
        ChatClient alice = visitor();
        SseStream s = alice.chat(null, "Rate me");
        String conversation = s.first("start").data().get("conversationId").asText();
        String answer = s.first("start").data().get("messageId").asText();
        String path = "api/messages/" + answer + "/feedback";

        assertEquals(204, post(alice, path, "{\"rating\":\"up\"}"));
        assertEquals(1, ((Number) feedback(answer).get("rating")).intValue());
        assertEquals("visitor:" + alice.visitorId(), feedback(answer).get("rater"));
        assertEquals("chat", feedback(answer).get("source"));
        assertEquals(204, post(alice, path, "{\"rating\":\"down\",\"comment\":\"  too short  \"}"));
        assertEquals(-1, ((Number) feedback(answer).get("rating")).intValue(), "changed, not added");
        assertEquals("too short", feedback(answer).get("comment"));
        assertEquals(1, app.rows.query("SELECT usage_id FROM answer_feedback").size());

        JsonNode thread = alice.getJson("api/conversations/" + conversation);
        JsonNode rated = thread.get("messages").get(1).get("feedback");
        assertEquals("down", rated.get("rating").asText());
        assertEquals("too short", rated.get("comment").asText());

        ChatClient mallory = visitor();
        assertEquals(404, post(mallory, path, "{\"rating\":\"up\"}"));
        String question = s.first("start").data().get("userMessageId").asText();
        assertEquals(404, post(alice, "api/messages/" + question + "/feedback", "{\"rating\":\"up\"}"), "a question is not an answer");
        assertEquals(-1, ((Number) feedback(answer).get("rating")).intValue(), "nothing changed");
    }

    @Test
    void bad_ratings_are_refused_naming_the_field_and_cross_site_posts_are_refused() throws Exception {
        ChatClient c = visitor();
        String answer = c.chat(null, "hi").first("start").data().get("messageId").asText();
        String path = "api/messages/" + answer + "/feedback";
        HttpResponse<String> bad = c.send(c.post(path, "{\"rating\":\"meh\"}").build());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("\"field\":\"rating\""), bad.body());
        assertEquals(400, post(c, path, "{}"));
        assertEquals(400, post(c, path, "{\"rating\":\"up\",\"stars\":5}"));
        HttpResponse<String> long_ = c.send(c.post(path, "{\"rating\":\"up\",\"comment\":\"" + "x".repeat(501) + "\"}").build());
        assertEquals(413, long_.statusCode());
        assertTrue(long_.body().contains("\"field\":\"comment\""), long_.body());
        assertEquals(400, post(c, path, "{\"rating\":\"up\",\"comment\":\"a\\u0000b\"}"));
        HttpRequest crossSite = c.post(path, "{\"rating\":\"up\"}").setHeader("Origin", "https://evil.example").build();
        assertEquals(403, c.send(crossSite).statusCode());
        HttpRequest noToken = HttpRequest.newBuilder(app.base().resolve(path)).header("Content-Type", "application/json")
                .header("Origin", app.base().toString().replaceAll("/$", "")).POST(HttpRequest.BodyPublishers.ofString("{\"rating\":\"up\"}")).build();
        assertEquals(403, c.http().send(noToken, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertNull(feedback(answer), "nothing stored");
    }

    @Test
    void an_export_holds_exactly_the_current_thread_and_only_for_its_owner() throws Exception {
        ChatClient c = visitor();
        SseStream first = c.chat(null, "First question");
        String conversation = first.first("start").data().get("conversationId").asText();
        c.chat(conversation, "Second question");
        HttpResponse<String> regenerated = c.send(c.post("api/chat", "{\"conversationId\":\"" + conversation + "\",\"regenerate\":true}").build());
        assertTrue(regenerated.body().contains("event: done"), regenerated.body());
        List<String> current = c.getJson("api/conversations/" + conversation).get("messages").findValuesAsText("id");
        assertEquals(4, current.size());
        assertEquals(1, ((Number) app.rows.one("SELECT COUNT(*) AS n FROM message WHERE conversation_id = ? AND replaced_by IS NOT NULL",
                conversation).get("n")).intValue(), "the regenerated answer is kept but not current");

        HttpResponse<String> json = c.get("api/conversations/" + conversation + "/export.json");
        assertEquals(200, json.statusCode());
        assertTrue(json.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename=\"chatrelay-" + conversation));
        JsonNode tree = new ObjectMapper().readTree(json.body());
        assertEquals(current, tree.get("messages").findValuesAsText("id"));
        assertEquals("First question", tree.get("conversation").get("title").asText());

        HttpResponse<String> md = c.get("api/conversations/" + conversation + "/export.md");
        assertEquals(200, md.statusCode());
        assertTrue(md.headers().firstValue("Content-Type").orElse("").startsWith("text/markdown"));
        assertEquals("# First question\n\n## You\n\nFirst question\n\n## Assistant\n\nHello world\n\n## You\n\nSecond question\n\n"
                + "## Assistant\n\nHello world\n\n", md.body());

        ChatClient other = visitor();
        assertEquals(404, other.get("api/conversations/" + conversation + "/export.md").statusCode());
        assertEquals(404, other.get("api/conversations/" + conversation + "/export.json").statusCode());
        assertEquals(404, c.get("api/conversations/" + conversation + "/export.txt").statusCode());
        assertFalse(md.body().contains("replaced"));
    }
}
