package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/security-checklist.md S17 (an unexpected error, a 404 or a 405 is a generic page, JSON under /api/ and HTML
 * elsewhere, with a correlation id that the log line repeats; never a stack trace, an exception, SQL or the server's
 * name) and the method part of S21 (PUT, DELETE, PATCH on any path: 405; TRACE: 403 from Jetty's default descriptor;
 * nothing echoed, nothing stored).
 */
class ErrorPagesIT {
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.forClass("errors-it", Map.of());

    @Test
    void an_unknown_page_is_a_plain_html_404_and_an_unknown_api_path_a_json_404_each_with_a_logged_correlation_id() throws Exception {
        ChatClient visitor = app.visitor();
        try (LogCapture log = LogCapture.start()) {
            HttpResponse<String> page = visitor.get("no/such/page.html");
            String id = assertHtmlError(page, 404);
            assertTrue(log.awaitLine("error id=" + id, 2000).contains("status=404 method=GET uri=/no/such/page.html"));

            HttpResponse<String> api = visitor.get("api/no-such-endpoint");
            JsonNode error = Refusals.assertJsonError(api, 404, "not_found");
            String apiId = error.get("correlationId").asText();
            assertEquals(apiId, api.headers().firstValue("X-Correlation-Id").orElseThrow());
            log.awaitLine("error id=" + apiId + " status=404", 2000);
        }
    }

    @Test
    void an_unexpected_server_error_is_a_generic_500_with_a_correlation_id_and_the_details_only_in_the_log() throws Exception {
        ChatClient visitor = app.visitor();
        String conversation = visitor.chat(null, "something to read back").first("start").data().get("conversationId").asText();
        app.rows.execute("ALTER TABLE message RENAME TO message_gone");
        try (LogCapture log = LogCapture.start()) {
            HttpResponse<String> api = visitor.get("api/conversations/" + conversation);
            JsonNode error = Refusals.assertJsonError(api, 500, "internal_error");
            String id = error.get("correlationId").asText();
            assertTrue(id.matches("[0-9a-f]{12}"), id);
            assertFalse(api.body().toLowerCase().contains("message_gone"), api.body());

            HttpResponse<String> page = visitor.get("c/" + conversation);
            String pageId = assertHtmlError(page, 500);
            assertFalse(page.body().toLowerCase().contains("message_gone"), page.body());

            // The operator's log has the id and the cause, so a user's reference leads to the failure.
            String line = log.awaitLine("error id=" + id, 2000);
            assertTrue(line.contains("status=500 method=GET uri=/api/conversations/" + conversation), line);
            String logText = log.text();
            assertTrue(logText.contains("PersistenceException"), "the log names the failure");
            assertTrue(logText.contains("error id=" + pageId + " status=500"), logText);
        } finally {
            app.rows.execute("ALTER TABLE message_gone RENAME TO message");
        }
        assertEquals(200, visitor.get("api/conversations/" + conversation).statusCode(), "mended");
    }

    @Test
    void put_delete_and_patch_are_405_and_trace_403_on_every_path_echoing_and_storing_nothing() throws Exception {
        ChatClient visitor = app.visitor();
        String stored = app.stored();
        int sent = app.sentUpstream();
        for (String path : List.of("", "c/00000000-0000-4000-8000-000000000000", "api/chat", "api/chat/stop", "api/conversations/x",
                "js/chat.js", "css/app.css", "healthz", "metrics", "no-such", "error")) {
            for (String method : List.of("PUT", "DELETE", "TRACE", "PATCH")) {
                HttpRequest request = HttpRequest.newBuilder(app.base().resolve(path))
                        .method(method, method.equals("TRACE") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{\"message\":\"x\"}"))
                        .header("Content-Type", "application/json").header("X-CSRF-Token", visitor.csrfToken())
                        .header("X-Secret-Probe", "probe-value-4711").build();
                HttpResponse<String> r = visitor.send(request);
                String what = method + " /" + path;
                assertFalse(r.body().contains("probe-value-4711") || r.body().contains(visitor.visitorId()), what + " echoed the request");
                if (method.equals("TRACE")) {
                    // Jetty's own default descriptor forbids TRACE on every path before any filter runs: 403, empty.
                    assertTrue(r.statusCode() == 403 || r.statusCode() == 405, what + ": " + r.statusCode());
                    continue;
                }
                assertEquals(405, r.statusCode(), what + ": " + r.body());
                assertEquals("GET, HEAD, POST, OPTIONS", r.headers().firstValue("Allow").orElse(null), what);
                if (path.startsWith("api/")) {
                    Refusals.assertJsonError(r, 405, "method_not_allowed");
                } else {
                    assertHtmlError(r, 405);
                }
            }
        }
        assertEquals(stored, app.stored());
        assertEquals(sent, app.sentUpstream());
    }

    /** An HTML error page: the status, a generic sentence and a reference; returns the reference. */
    private static String assertHtmlError(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("text/html;charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase());
        String id = r.headers().firstValue("X-Correlation-Id").orElseThrow(() -> new AssertionError(r.request().method() + " " + r.uri()
                + " has no X-Correlation-Id: " + r.headers().map() + "\n" + r.body()));
        assertTrue(r.body().contains("<h1>" + status + "</h1>"), r.body());
        assertTrue(r.body().contains("Reference: <code>" + id + "</code>"), r.body());
        for (String internal : List.of("Exception", "\tat ", "org.", "Jetty", "jetty", "SQL", "Caused by")) {
            assertFalse(r.body().contains(internal), "the page shows '" + internal + "': " + r.body());
        }
        return id;
    }
}
