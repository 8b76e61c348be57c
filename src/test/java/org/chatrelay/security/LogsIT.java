package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.LogCapture;
import org.chatrelay.testing.Reply;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the application's log holds. docs/security-checklist.md S15 (an upstream 401 is a 502 upstream_auth for the
 * browser, and the operator sees the provider's status in the log), S16 (a message or an upstream body with CR/LF and a
 * fake log line cannot forge a line; no password, cookie, CSRF token, key or message text in the log) and the "no
 * stack-trace noise" of S25 (a browser that goes away is an ordinary end, logged as one line).
 */
class LogsIT {
    static final String KEY = "sk-logs-it-KEY-8f2c71e0d4";
    static final String DB_PASSWORD = "db-password-logs-it-5521";
    static final String FORGED = "2026-01-01 00:00:00.000 [main] INFO chatrelay.answer - answer req=forged end=completed";

    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.forClass("logs-it", Map.of("chatrelay.upstream.api.key", KEY, "chatrelay.db.password", DB_PASSWORD,
            "chatrelay.retry.max.attempts", "1"));

    @Test
    void an_upstream_401_is_a_502_upstream_auth_for_the_browser_and_a_warning_with_the_status_for_the_operator() throws Exception {
        ChatClient visitor = app.visitor();
        app.upstream.plan("denied", Reply.status(401));
        try (LogCapture log = LogCapture.start()) {
            HttpResponse<String> r = visitor.send(visitor.post("api/chat", ChatClient.body(null, "[plan:denied]")).build());
            Refusals.assertJsonError(r, 502, "upstream_auth");
            assertFalse(r.body().contains("secret upstream detail"), "the provider's body stays on the server");
            String line = log.awaitLine("attempt failed", 3000);
            assertTrue(line.contains("kind=HTTP_STATUS status=401"), line);
            assertTrue(log.awaitLine("chatrelay.answer", 3000).contains("code=upstream_auth"));
            assertNoSecrets(log.text(), visitor, "[plan:denied]");
        }
    }

    @Test
    void a_message_with_line_breaks_and_a_fake_log_line_cannot_forge_a_line_and_no_content_or_secret_is_logged() throws Exception {
        ChatClient visitor = app.visitor();
        String message = "hello\r\n" + FORGED + "\n" + FORGED + "\r";
        // The provider's error body is logged (shortened, cleaned): make it try the same trick.
        app.upstream.plan("forge", Reply.status(500));
        try (LogCapture log = LogCapture.start()) {
            SseStream s = visitor.chat(null, message);
            assertEquals("done", s.last().name());
            log.awaitLine("msg=" + s.first("start").data().get("messageId").asText(), 3000);
            HttpResponse<String> failed = visitor.send(visitor.post("api/chat", ChatClient.body(null, message + " [plan:forge]")).build());
            assertEquals(502, failed.statusCode());
            log.awaitLine("attempt failed", 3000);
            String text = log.text();
            for (String line : text.split("\n")) {
                assertFalse(line.startsWith("2026-01-01 00:00:00.000"), "a forged line: " + line);
                assertFalse(line.contains("req=forged"), "message text reached the log: " + line);
            }
            assertNoSecrets(text, visitor, "hello");
        }
    }

    @Test
    void a_browser_that_goes_away_mid_answer_is_one_line_without_a_stack_trace() throws Exception {
        ChatClient visitor = app.visitor();
        try (LogCapture log = LogCapture.start()) {
            SseStream s = visitor.chat(null, "endless [forever:0:50]", st -> st.count("token") >= 3);
            String id = s.first("start").data().get("messageId").asText();
            assertEquals("client_gone", app.rows.endedUsage(id, 5000).get("end_reason"));
            String line = log.awaitLine("msg=" + id, 3000);
            assertTrue(line.contains("end=client_gone"), line);
            Thread.sleep(300);
            String text = log.text();
            for (String noise : List.of("Exception", "\tat ", "Caused by", "ERROR")) {
                assertFalse(text.contains(noise), "stack-trace noise '" + noise + "' in:\n" + text);
            }
        }
    }

    private static void assertNoSecrets(String log, ChatClient visitor, String messageText) {
        assertFalse(log.isBlank(), "nothing was captured: the check would prove nothing");
        for (String secret : List.of(KEY, DB_PASSWORD, visitor.cookie("cr_visitor"), visitor.csrfToken(), messageText)) {
            assertFalse(log.contains(secret), "the log contains '" + secret + "':\n" + log);
        }
    }
}
