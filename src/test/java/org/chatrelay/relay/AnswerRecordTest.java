package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.chatrelay.persistence.EndReason;
import org.junit.jupiter.api.Test;

class AnswerRecordTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AnswerRecord STORED = new AnswerRecord("msg-1", 12, 3, "provider", 70L, 9.5, true, null, null);

    static Outcome completed() {
        return new Outcome(EndReason.COMPLETED, null, null, 200, Optional.empty(), "Hello world", "stop", "m", 12, 3, 100, 900, 50,
                true, null, "p", Optional.empty(), List.of(), new Outcome.Thinking(null, null, null, null));
    }

    /** The event name and data of one frame. */
    static String[] parse(byte[] frame) {
        String[] lines = new String(frame, StandardCharsets.UTF_8).split("\n");
        return new String[] {lines[0].substring("event: ".length()), lines[1].substring("data: ".length())};
    }

    @Test
    void a_stored_answer_ends_with_done() throws Exception {
        String[] f = parse(STORED.terminalFrame(JSON, completed()));
        assertEquals("done", f[0]);
        assertEquals("completed", JSON.readTree(f[1]).get("endReason").asText());
    }

    @Test
    void an_answer_stored_nowhere_ends_with_error_storage_unavailable_never_done() throws Exception {
        String[] f = parse(STORED.unstored().terminalFrame(JSON, completed()));

        assertEquals("error", f[0]);
        JsonNode data = JSON.readTree(f[1]);
        assertEquals("storage_unavailable", data.get("code").asText());
        assertTrue(data.get("retryable").asBoolean());
        assertTrue(data.get("message").asText().contains("could not be saved"));
        assertEquals("msg-1", data.get("messageId").asText());
        assertEquals(3, data.get("usage").get("completionTokens").asInt(), "the figures still say what was streamed");
    }
}
