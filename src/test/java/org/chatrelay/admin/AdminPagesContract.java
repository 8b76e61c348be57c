package org.chatrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The admin pages against the built WAR, run once on H2 and once on PostgreSQL (docs/security-checklist.md S8, S12,
 * S13): malformed filters are a 400 that shows no SQL, and visitor or model text holding HTML is shown as text.
 */
abstract class AdminPagesContract {
    static final String USER = "pages-admin";
    static final String PASSWORD = "pages-password-1";
    static final String HOSTILE_TITLE = "<script>alert('title')</script><b>bold</b>";
    static final Pattern CONVERSATION = Pattern.compile("/admin/conversations/([0-9a-f-]{36})\"");

    static AppUnderTest app;
    static AdminClient admin;

    /** Starts the WAR on the given database; a visitor chats twice, then the admin signs in. */
    static void start(AppUnderTest.Db database, Map<String, String> settings) throws Exception {
        app = AppUnderTest.named("admin-pages").database(database).settings(settings).settings(Map.of(
                "chatrelay.model", "chatrelay-demo", "chatrelay.admin.user", USER, "chatrelay.admin.password", PASSWORD)).start();
        chatWithHtml();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    /** A hostile first message (the title) with a normal answer, a model answer with HTML, an answer without [DONE]. */
    static void chatWithHtml() throws Exception {
        ChatClient visitor = new ChatClient(app.base()).open();
        SseStream first = visitor.chat(null, HOSTILE_TITLE + " [slow:3:5]");
        String conversationId = first.first("start").data().get("conversationId").asText();
        SseStream second = visitor.chat(conversationId, "now some markup [xss]");
        assertEquals("done", second.last().name(), second.raw.toString());
        // The reader's reports for the second answer: its first paint, and a delivery a buffering proxy delayed.
        String answerId = second.first("start").data().get("messageId").asText();
        assertEquals(204, visitor.send(visitor.post("api/messages/" + answerId + "/paint", "{\"ttftMs\":431}").build()).statusCode());
        assertEquals(204, visitor.send(visitor.post("api/messages/" + answerId + "/delivery",
                "{\"maxLagMs\":652,\"bufferingSuspected\":true}").build()).statusCode());
        // A third answer whose stream closes after its finish reason but without [DONE]: flagged in the transcript.
        assertEquals("done", visitor.chat(conversationId, "and now [finishnodone]").last().name());
        admin = new AdminClient(app.base()).signedIn(USER, PASSWORD);
    }

    @Test
    void the_report_shows_the_chats_just_made() throws Exception {
        HttpResponse<String> r = admin.get("admin");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("data-figure=\"answers\">3<"), r.body());
        assertEquals(4, count(r.body(), "<figure class=\"chart\""));
        // The precision the page states is the sketches' own (HdrHistogram, 3 digits; HLL with 4,096 registers).
        assertTrue(r.body().contains("exact below <span>2,048</span> ms,\n      otherwise within ±<span>0.1%</span>"
                + " (tokens/s: exact to 0.1 below <span>204.8</span>)"), r.body());
        assertTrue(r.body().contains("beyond that estimated within <span>±1.6%</span> (one standard error)"), r.body());
    }

    @Test
    void malformed_filters_are_a_400_that_shows_no_sql() throws Exception {
        List<String> bad = List.of(
                "admin?from=2024-01-01'%20OR%20'1'='1",
                "admin?to=2024-13-45",
                "admin?model=x'%3B%20DROP%20TABLE%20answer_usage%3B--",
                "admin?end_reason=completed%20OR%201=1",
                "admin/export/usage.csv?from=2024-01-01'%20OR%20'1'='1",
                "admin/export/by-day.csv?arm=%22%3E%3Cscript%3E",
                "admin/conversations?sort=updated_at%3B%20DROP%20TABLE%20conversation",
                "admin/conversations?dir=sideways",
                "admin/conversations?from=2024-01-01'--",
                "admin/conversations?visitor=a'%20OR%20'1'='1");
        for (String path : bad) {
            HttpResponse<String> r = admin.get(path);
            assertEquals(400, r.statusCode(), path);
            String body = r.body().toLowerCase(Locale.ROOT);
            for (String leak : List.of("select ", "sqlexception", "org.h2", "postgresql", "psql", "jdbc", "syntax error", "drop table", "<script")) {
                assertFalse(body.contains(leak), path + " leaks " + leak + ": " + r.body());
            }
        }
    }

    @Test
    void valid_filters_and_sorts_work_and_quotes_in_search_text_are_just_text() throws Exception {
        for (String path : List.of("admin?model=chatrelay-demo&provider=x&arm=main&end_reason=completed",
                "admin/conversations?sort=title&dir=asc", "admin/conversations?q=%27%20OR%201%3D1%20--",
                "admin/conversations?q=100%25_off", "admin/export/arms.csv")) {
            assertEquals(200, admin.get(path).statusCode(), path);
        }
        // The quality side reads the usage rows with the same filters (issue 17).
        HttpResponse<String> quality = admin.get("admin/export/quality.csv?arm=main&end_reason=completed");
        assertEquals(200, quality.statusCode());
        assertTrue(quality.body().startsWith("arm,baseline,answers,answers_with_messages,thumbs_up,thumbs_up_of,"), quality.body());
        assertTrue(quality.body().contains("\nmain,true,"), quality.body());
        HttpResponse<String> browser = admin.get("admin/export/browser.csv?provider=x");
        assertEquals(200, browser.statusCode());
        assertEquals("provider,arm,answers_with_first_paint,first_paint_p50_ms,first_paint_p95_ms,answers_checked_for_buffering,"
                + "buffering_suspected,buffering_suspected_share", browser.body().strip());
        assertTrue(admin.get("admin/conversations?q=%27%20OR%201%3D1%20--").body().contains("No conversation matches."));
    }

    @Test
    void html_from_visitors_and_models_shows_as_text_on_every_admin_page() throws Exception {
        String list = admin.get("admin/conversations").body();
        Matcher m = CONVERSATION.matcher(list);
        assertTrue(m.find(), list);
        String transcript = admin.get("admin/conversations/" + m.group(1)).body();
        String search = admin.get("admin/conversations?q=script").body();
        String report = admin.get("admin").body();
        for (String page : List.of(list, transcript, search, report)) {
            assertFalse(page.contains("<script>alert"), page);
            assertFalse(page.contains("<img src=x"), page);
            assertFalse(page.contains("<b>bold"), page);
        }
        assertTrue(list.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"), list);
        assertTrue(search.contains("&lt;script&gt;alert("), search);
        assertTrue(transcript.contains("&lt;img src=x onerror=alert(1)&gt;"), transcript);
        assertTrue(transcript.contains("ended: completed"), transcript);
        // The browser's end of the latency chain and the buffering flag are visible to the admin.
        assertTrue(transcript.contains("first paint 431 ms"), transcript);
        assertTrue(transcript.contains("buffered in transit (late by up to 652 ms)"), transcript);
        assertEquals(1, count(transcript, ">no terminator<"), "only the answer without [DONE] is flagged: " + transcript);
    }

    @Test
    void admin_pages_carry_the_strict_csp_and_no_inline_script_or_style() throws Exception {
        for (String path : List.of("admin", "admin/conversations", "login")) {
            HttpResponse<String> r = admin.get(path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'none'") && csp.contains("style-src 'self'") && !csp.contains("unsafe"), path + " " + csp);
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), path);
            assertFalse(r.body().contains("<script"), path);
            assertFalse(r.body().contains("style=") || r.body().contains("<style"), path);
        }
    }

    @Test
    void the_raw_usage_csv_streams_every_row_of_the_range() throws Exception {
        HttpResponse<String> r = admin.get("admin/export/usage.csv");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        String[] lines = r.body().split("\r\n");
        assertEquals(4, lines.length, r.body());
        assertTrue(lines[0].startsWith("id,started_at,ended_at,conversation_id"));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
