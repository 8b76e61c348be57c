package org.chatrelay.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 16 item 3: a detached answer still counts against the visitor's streams at once until it ends. */
class DetachedAnswerLimitsIT {
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("detached-limits")
            .settings(Map.of("chatrelay.detached.grace.ms", "30000", "chatrelay.max.streams.per.visitor", "1"));

    @Test
    void an_answer_whose_browser_left_keeps_its_stream_slot_until_it_ends() throws Exception {
        ChatClient client = app.visitor();
        SseStream before = client.chat(null, "Long [slow:15:100]", st -> st.count("token") >= 2);
        String id = before.first("start").data().get("messageId").asText();

        SseStream refused = client.chat(null, "Another");
        assertEquals(429, refused.status, "the detached answer still holds the visitor's one stream: " + refused.raw);
        assertEquals("too_many_streams", EndedResumeIT.JSON.readTree(refused.raw.toString()).get("error").get("code").asText());

        SseStream rest = client.resume(id, before.lastId(), x -> false);
        assertEquals("done", rest.last().name());
        app.rows.endedUsage(id, 5_000);
        // The slot went back when the answer's end was stored, before its terminal event was sent.
        SseStream next = client.chat(null, "Another");
        assertEquals(200, next.status, next.raw.toString());
        assertEquals("done", next.last().name());
    }
}
