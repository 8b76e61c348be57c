package org.chatrelay.security;

import static org.chatrelay.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.EmbeddedServer;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.Test;

/**
 * docs/security-checklist.md S23: chats per minute (per visitor and per client address), streams at once and the daily
 * token budget. Each refusal is a 429 with Retry-After and its own code, and sends nothing upstream and stores nothing.
 * Each limit gets a server of its own with only that limit on, so one test's requests never count against another's.
 */
class LimitsAndBudgetsIT {
    static final Map<String, String> ALL_OFF = Map.of("chatrelay.rate.limit.per.minute", "0",
            "chatrelay.rate.limit.per.address.per.minute", "0", "chatrelay.max.streams.per.visitor", "0",
            "chatrelay.daily.token.budget", "0");

    static Map<String, String> only(String setting, String value) {
        Map<String, String> m = new java.util.HashMap<>(ALL_OFF);
        m.put(setting, value);
        return m;
    }

    @Test
    void the_fourth_chat_in_a_minute_is_429_rate_limited_with_retry_after_and_other_visitors_go_on() throws Exception {
        try (AppUnderTest app = AppUnderTest.start("rate-it", only("chatrelay.rate.limit.per.minute", "3"))) {
            ChatClient visitor = app.visitor();
            for (int i = 0; i < 3; i++) {
                assertEquals("done", visitor.chat(null, "chat " + i).last().name());
            }
            JsonNode error = assertRetryAfter(assertRefused(app, visitor, visitor.post("api/chat", ChatClient.body(null, "one too many")),
                    429, "rate_limited"), 1, 60);
            assertTrue(error.get("message").asText().contains("minute"), error.toString());
            assertEquals("done", app.visitor().chat(null, "someone else").last().name(), "the limit is per visitor");
        }
    }

    @Test
    void one_address_gets_its_chats_per_minute_however_many_visitor_cookies_it_makes_up() throws Exception {
        try (AppUnderTest app = AppUnderTest.behindProxy("address-it", only("chatrelay.rate.limit.per.address.per.minute", "2"))) {
            for (int i = 0; i < 2; i++) {
                ChatClient fresh = app.visitor();
                assertEquals(200, fresh.send(fresh.post("api/chat", ChatClient.body(null, "hi")).header("X-Forwarded-For", "203.0.113.7").build())
                        .statusCode());
            }
            ChatClient third = app.visitor();
            assertRefused(app, third, third.post("api/chat", ChatClient.body(null, "hi")).header("X-Forwarded-For", "203.0.113.7"), 429, "rate_limited");
            assertEquals(200, third.send(third.post("api/chat", ChatClient.body(null, "hi")).header("X-Forwarded-For", "198.51.100.9").build())
                    .statusCode(), "another address is not affected");
        }
    }

    @Test
    void a_third_stream_at_once_is_429_too_many_streams_and_a_place_frees_when_an_answer_ends() throws Exception {
        try (AppUnderTest app = AppUnderTest.start("streams-it", only("chatrelay.max.streams.per.visitor", "2"))) {
            ChatClient visitor = app.visitor();
            String[] ids = new String[2];
            CompletableFuture<?>[] open = new CompletableFuture<?>[2];
            for (int i = 0; i < 2; i++) {
                int n = i;
                CompletableFuture<String> started = new CompletableFuture<>();
                open[i] = CompletableFuture.supplyAsync(() -> chat(visitor, "endless " + n + " [forever:0:100]", started));
                ids[i] = started.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertRetryAfter(assertRefused(app, visitor, visitor.post("api/chat", ChatClient.body(null, "a third")), 429, "too_many_streams"), 5, 5);
            assertEquals("done", app.visitor().chat(null, "someone else").last().name(), "the limit is per visitor");

            assertEquals(204, visitor.send(visitor.post("api/chat/stop", "{\"messageId\":\"" + ids[0] + "\"}").build()).statusCode());
            open[0].get(10, java.util.concurrent.TimeUnit.SECONDS);
            awaitAdmitted(visitor);
            visitor.send(visitor.post("api/chat/stop", "{\"messageId\":\"" + ids[1] + "\"}").build());
            open[1].get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void once_the_days_tokens_are_spent_every_node_answers_429_budget_exhausted_until_midnight_utc() throws Exception {
        // Each answer of the fake provider costs 12 prompt + 3 completion tokens: 15.
        try (AppUnderTest app = AppUnderTest.start("budget-it", only("chatrelay.daily.token.budget", "40"))) {
            ChatClient visitor = app.visitor();
            for (int i = 0; i < 3; i++) {
                SseStream s = visitor.chat(null, "spend " + i);
                assertEquals("done", s.last().name());
                app.rows.endedUsage(s.first("start").data().get("messageId").asText(), 5000);
            }
            JsonNode error = assertRefused(app, visitor, visitor.post("api/chat", ChatClient.body(null, "more")), 429, "budget_exhausted");
            long untilMidnight = Duration.between(Instant.now(), LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).toSeconds();
            assertRetryAfter(error, untilMidnight - 5, untilMidnight + 5);
            assertEquals("done", app.visitor().chat(null, "someone else").last().name(), "the budget is per visitor");

            // The budget is read from the database: a second node on it refuses the same visitor.
            try (EmbeddedServer second = app.node(16)) {
                ChatClient same = visitor.at(second.base());
                assertRefused(app, same, same.post("api/chat", ChatClient.body(null, "elsewhere")), 429, "budget_exhausted");
            }
        }
    }

    private static JsonNode assertRetryAfter(JsonNode error, long min, long max) {
        long seconds = error.get("retryAfterSeconds").asLong();
        assertTrue(seconds >= min && seconds <= max, "Retry-After " + seconds + " s, expected " + min + "–" + max);
        return error;
    }

    /** A stream slot comes back when the answer's async cycle completes, just after its last event. */
    private static void awaitAdmitted(ChatClient visitor) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            HttpResponse<String> r = visitor.send(visitor.post("api/chat", ChatClient.body(null, "after one ended")).build());
            if (r.statusCode() == 200) {
                return;
            }
            assertEquals(429, r.statusCode(), r.body());
            assertTrue(System.nanoTime() < deadline, "no place freed within 5 s of an answer's end");
            Thread.sleep(50);
        }
    }

    private static String chat(ChatClient visitor, String message, CompletableFuture<String> started) {
        try {
            visitor.chat(null, message, s -> {
                if (s.count("token") == 1) {
                    started.complete(s.first("start").data().get("messageId").asText());
                }
                return false;
            });
            return "ended";
        } catch (Exception e) {
            started.completeExceptionally(e);
            throw new IllegalStateException(e);
        }
    }
}
