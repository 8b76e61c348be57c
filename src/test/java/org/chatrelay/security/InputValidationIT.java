package org.chatrelay.security;

import static org.chatrelay.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/security-checklist.md S4 (malformed JSON, wrong types, unknown fields: 400 naming the field), S5 (limits: 413;
 * empty: 400; the conversation unchanged) and S7 (no model, max_tokens or any other provider parameter from the
 * browser). The NUL and surrogate cases of S28 and the IDOR of S6 are in RelayIT, which also runs on PostgreSQL.
 */
class InputValidationIT {
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.forClass("input-it",
            Map.of("chatrelay.max.message.chars", "1000", "chatrelay.max.body.bytes", "8192"));
    ChatClient visitor;

    @BeforeEach
    void newVisitor() throws Exception {
        visitor = app.visitor();
    }

    @Test
    void malformed_json_wrong_types_and_unknown_fields_are_400_invalid_request_naming_the_field() throws Exception {
        for (String body : List.of("{not json", "", "[\"message\"]", "\"hi\"", "null", "{\"message\":\"a\"} trailing")) {
            JsonNode e = assertRefused(app, visitor, visitor.post("api/chat", body), 400, "invalid_request");
            assertNull(e.get("field"), "no field to blame in " + body);
        }
        Map<String, String> blamed = Map.of(
                "{\"message\":42}", "message",
                "{\"message\":[\"a\"]}", "message",
                "{\"message\":{\"$gt\":\"\"}}", "message",
                "{\"message\":\"a\",\"conversationId\":7}", "conversationId",
                "{\"message\":\"a\",\"role\":\"system\"}", "role",
                "{\"message\":\"a\",\"__proto__\":{}}", "__proto__",
                "{}", "message");
        for (Map.Entry<String, String> c : blamed.entrySet()) {
            JsonNode e = assertRefused(app, visitor, visitor.post("api/chat", c.getKey()), 400, "invalid_request");
            assertEquals(c.getValue(), e.path("field").asText(), c.getKey());
        }
    }

    @Test
    void an_oversized_message_or_body_is_413_an_empty_one_400_and_the_conversation_is_unchanged() throws Exception {
        SseStream first = visitor.chat(null, "keep this");
        String conversation = first.first("start").data().get("conversationId").asText();
        JsonNode before = visitor.getJson("api/conversations/" + conversation);

        assertRefused(app, visitor, visitor.post("api/chat", ChatClient.body(conversation, "x".repeat(1001))), 413, "message_too_large");
        // 1000 characters that are each two UTF-16 units still pass the character limit…
        assertEquals(200, visitor.chat(conversation, "😀".repeat(1000)).status);
        before = visitor.getJson("api/conversations/" + conversation);
        // …but the body cap counts bytes, whatever the message says about its own size.
        assertRefused(app, visitor, visitor.post("api/chat", ChatClient.body(conversation, "é".repeat(4100))), 413, "too_large");
        for (String blank : List.of("", " ", "\n\t ", "\u3000")) {
            JsonNode e = assertRefused(app, visitor, visitor.post("api/chat", ChatClient.body(conversation, blank)), 400, "invalid_request");
            assertEquals("message", e.get("field").asText());
        }
        assertEquals(before, visitor.getJson("api/conversations/" + conversation), "the conversation changed");
    }

    @Test
    void a_model_or_provider_parameter_from_the_browser_is_refused_and_never_forwarded() throws Exception {
        for (String field : List.of("model", "max_tokens", "temperature", "stream", "tools", "messages", "system")) {
            String body = "{\"message\":\"hi\",\"" + field + "\":" + (field.equals("model") ? "\"x'; DROP TABLE t;--\"" : "999999") + "}";
            JsonNode e = assertRefused(app, visitor, visitor.post("api/chat", body), 400, "invalid_request");
            assertEquals(field, e.get("field").asText());
        }
        visitor.chat(null, "what goes upstream");
        JsonNode sent = app.upstream.requests.get(app.upstream.requests.size() - 1);
        Set<String> fields = new TreeSet<>();
        sent.fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("messages", "model", "stream", "stream_options"), fields, "the server alone decides what is asked of the model");
        assertEquals("deepseek-v3.2", sent.get("model").asText());
        assertFalse(sent.toString().contains("DROP TABLE"));
    }
}
