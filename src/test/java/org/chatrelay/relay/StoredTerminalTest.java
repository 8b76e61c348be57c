package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.chatrelay.persistence.StoredAnswer;
import org.junit.jupiter.api.Test;

/** A resume's terminal event of an ended answer, rebuilt from its rows, says what the live one said. */
class StoredTerminalTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An ended answer's rows; {@code finishReason} as the provider gave it (null when it did not finish). */
    static StoredAnswer ended(String status, String code, String finishReason) {
        return new StoredAnswer("m-1", status, "Hello", "", status, code, finishReason, 12, 3, "provider", 5L, 30.0,
                250, 900, null, null, null, null);
    }

    @Test
    void each_of_the_relays_own_endings_reads_as_it_did_live() throws Exception {
        for (StreamEnding e : StreamEnding.values()) {
            Ending live = e.ending();
            JsonNode stored = data(StoredTerminal.frame(JSON, ended(live.reason().code(), live.code(), null)));
            JsonNode sent = data(new AnswerRecord("m-1", 12, 3, "provider", 5L, 30.0, true, null, null)
                    .terminalFrame(JSON, new Outcome(live.reason(), live.code(), live.message(), live.httpStatus(), Optional.empty(), "Hello",
                            null, null, 12, 3, 250, 900, null, true, null, null, Optional.empty(), java.util.List.of(),
                            new Outcome.Thinking("", null, null, null))));
            if (e == StreamEnding.UNREADABLE_STREAM) {
                // Two endings share upstream_protocol; a stored row cannot tell them apart, so it reads as the first.
                assertEquals(sent.get("code"), stored.get("code"));
                continue;
            }
            assertEquals(sent, stored, e.name());
        }
    }

    @Test
    void a_completed_answer_is_done_and_a_node_restart_an_error_that_can_be_retried() throws Exception {
        JsonNode done = data(StoredTerminal.frame(JSON, ended("completed", null, "stop")));
        assertFalse(done.has("code"));
        assertEquals("stop", done.get("finishReason").asText());
        assertEquals("completed", done.get("endReason").asText());
        assertEquals(0.000005, done.get("costUsd").asDouble());
        JsonNode restart = data(StoredTerminal.frame(JSON, ended("interrupted", "node_restart", null)));
        assertEquals("node_restart", restart.get("code").asText());
        assertTrue(restart.get("retryable").asBoolean());
        JsonNode provider = data(StoredTerminal.frame(JSON, ended("upstream_error", "upstream_overloaded_error", null)));
        assertEquals("The answer was interrupted: The AI provider is overloaded. Please try again shortly.", provider.get("message").asText());
        assertTrue(provider.get("retryable").asBoolean(), "503: retryable as live");
    }

    private static JsonNode data(byte[] frame) throws Exception {
        String s = new String(frame, StandardCharsets.UTF_8);
        return JSON.readTree(s.substring(s.indexOf("data: ") + 6).trim());
    }
}
