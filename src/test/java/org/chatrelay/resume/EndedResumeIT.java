package org.chatrelay.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 item 1 for answers that already ended: {@code GET /api/messages/{id}/events} sends the rest after the
 * client's position and the terminal event at once, the same terminal event the chat stream sent (rebuilt from the
 * stored rows); whatever the position, what was received before plus the resume is the upstream's text exactly.
 */
class EndedResumeIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("ended-resume").database(AppUnderTest.Db.SELECTED)
            .providers(1, EndedResumeIT::providers);

    /** A plain model and a thinking one on the one fake upstream. */
    static String providers(List<FakeUpstream> upstreams) {
        return """
                {'defaultModel': 'plain',
                 'providers': [{'name': 'deep', 'baseUrl': '%s',
                   'models': [{'name': 'plain', 'inputPerMillion': 1, 'outputPerMillion': 2},
                              {'name': 'deep-thinker', 'upstreamModel': 'deepseek-reasoner', 'reasoningEffort': 'high',
                               'inputPerMillion': 1, 'outputPerMillion': 2}]}]}
                """.formatted(upstreams.get(0).baseUrl());
    }

    ChatClient client;

    @BeforeEach
    void visitor() throws Exception {
        client = app.visitor();
    }

    @Test
    void an_ended_answer_resumed_at_every_position_gives_exactly_the_rest_then_the_chat_streams_terminal_event() throws Exception {
        // Surrogate pairs count two: the position is in UTF-16 code units, as the page's string.length.
        SseStream chat = client.chat(null, "Go [surrogates]");
        String text = chat.text();
        JsonNode done = chat.last().data();
        String id = done.get("messageId").asText();
        String end = "0." + text.length();
        for (int t = 0; t <= text.length(); t++) {
            if (t > 0 && t < text.length() && Character.isLowSurrogate(text.charAt(t))) {
                continue;
            }
            SseStream r = client.resume(id, "0." + t, s -> false);
            assertEquals(200, r.status, r.raw.toString());
            assertTrue(r.contentType.startsWith("text/event-stream"), r.contentType);
            assertEquals(text, text.substring(0, t) + r.text(), "resumed after 0." + t);
            assertEquals(t == text.length() ? List.of("done") : List.of("token", "done"), r.names(), "after 0." + t);
            assertEquals(done, r.last().data(), "the stored answer's done is the chat stream's");
            assertEquals(end, r.last().id());
        }
    }

    @Test
    void a_thinking_answer_resumed_gives_the_missed_reasoning_then_the_missed_text_in_one_event_each() throws Exception {
        SseStream chat = client.chatWith("deep-thinker", "Why? [think:500:50]");
        String reasoning = chat.reasoning();
        String text = chat.text();
        assertTrue(reasoning.length() > 20 && !text.isEmpty(), chat.names().toString());
        String id = chat.last().data().get("messageId").asText();
        String end = reasoning.length() + "." + text.length();
        List<String> positions = new ArrayList<>();
        for (int r = 0; r <= reasoning.length(); r++) {
            positions.add(r + ".0");
        }
        for (int t = 1; t <= text.length(); t++) {
            positions.add(reasoning.length() + "." + t);
        }
        for (String at : positions) {
            int r = Integer.parseInt(at.substring(0, at.indexOf('.')));
            int t = Integer.parseInt(at.substring(at.indexOf('.') + 1));
            SseStream s = client.resume(id, at, x -> false);
            assertEquals(reasoning, reasoning.substring(0, r) + s.reasoning(), "after " + at);
            assertEquals(text, text.substring(0, t) + s.text(), "after " + at);
            assertTrue(s.count("reasoning") <= 1 && s.count("token") <= 1, "one event each: " + s.names());
            if (r < reasoning.length()) {
                assertEquals("reasoning", s.events.get(0).name());
                assertEquals(reasoning.length() + "." + t, s.events.get(0).id());
            }
            assertEquals(chat.last().data(), s.last().data());
            assertEquals(end, s.last().id());
        }
    }

    @Test
    void the_query_parameter_works_and_the_header_wins_over_it() throws Exception {
        SseStream chat = client.chat(null, "Hi");
        String id = chat.last().data().get("messageId").asText();
        assertEquals("Hello world", chat.text());
        assertEquals(" world", client.resumeAt("api/messages/" + id + "/events?after=0.5", null, s -> false).text());
        assertEquals("world", client.resumeAt("api/messages/" + id + "/events?after=0.5", "0.6", s -> false).text());
        assertEquals("Hello world", client.resume(id, null, s -> false).text(), "neither: from the beginning");
    }

    @Test
    void another_visitors_answer_an_unknown_id_and_a_question_are_404_and_bad_positions_400() throws Exception {
        SseStream chat = client.chat(null, "Hi");
        String id = chat.last().data().get("messageId").asText();
        String question = chat.first("start").data().get("userMessageId").asText();
        ChatClient stranger = app.visitor();
        for (SseStream r : List.of(stranger.resume(id, null, s -> false), client.resume(question, null, s -> false),
                client.resume("00000000-0000-4000-8000-000000000000", null, s -> false),
                client.resumeAt("api/messages/not-an-id/events", null, s -> false))) {
            assertEquals(404, r.status, r.raw.toString());
            assertEquals("not_found", JSON.readTree(r.raw.toString()).get("error").get("code").asText());
        }
        for (String bad : List.of("", "1", "0.-1", "01.2", "a.b", "0.1.2", "0.99999999999", "0.12", "1.0")) {
            SseStream r = client.resume(id, bad, s -> false);
            assertEquals(400, r.status, bad + ": " + r.raw);
            JsonNode error = JSON.readTree(r.raw.toString()).get("error");
            assertEquals("invalid_request", error.get("code").asText());
            assertTrue(error.get("message").asText().contains("position"), error.toString());
        }
    }

    @Test
    void an_answer_that_failed_mid_stream_resumes_to_the_error_event_the_chat_stream_sent() throws Exception {
        SseStream chat = client.chat(null, "Go [cut]");
        assertEquals("error", chat.last().name());
        String id = chat.last().data().get("messageId").asText();
        SseStream r = client.resume(id, "0.4", s -> false);
        assertEquals("two three", r.text());
        assertEquals(chat.last().data(), r.last().data());
    }
}
