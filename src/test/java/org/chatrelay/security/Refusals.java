package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;

/** The shape every refusal must have, and the proof that it left nothing behind: no upstream request, no new row. */
final class Refusals {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Refusals() {
    }

    /** Sends {@code request}; asserts the status, the JSON error code and that nothing reached the provider or the database. */
    static JsonNode assertRefused(AppUnderTest app, ChatClient client, HttpRequest.Builder request, int status, String code) throws Exception {
        String storedBefore = app.stored();
        int sentBefore = app.sentUpstream();
        HttpResponse<String> r = client.send(request.build());
        JsonNode error = assertJsonError(r, status, code);
        assertEquals(sentBefore, app.sentUpstream(), "a refused request reached the provider: " + r.body());
        assertEquals(storedBefore, app.stored(), "a refused request left rows behind: " + r.body());
        return error;
    }

    /** A JSON error body {@code {"error":{"code","message",…}}} with the status and code, and nothing internal in it. */
    static JsonNode assertJsonError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank(), r.body());
        assertNull(error.get("stack"), r.body());
        if (error.has("retryAfterSeconds")) {
            assertEquals(error.get("retryAfterSeconds").asText(), r.headers().firstValue("Retry-After").orElse(null), "Retry-After header");
        } else if (status == 429) {
            throw new AssertionError("a 429 without Retry-After: " + r.body());
        }
        for (String internal : new String[] {"Exception", "\tat ", "org.chatrelay", "org.eclipse", "Jetty", "SQL"}) {
            assertFalse(r.body().contains(internal), "the body shows '" + internal + "': " + r.body());
        }
        return error;
    }
}
