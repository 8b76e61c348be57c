package org.chatrelay.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.chatrelay.admin.AdminClient;
import org.chatrelay.gateway.wire.ResponseId;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.Rows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17 item 1, the gateway's part: {@code POST /v1/feedback} rates a call of the caller's key by any id the
 * response carried (the {@code X-ChatRelay-Response-Id} header, {@code chatcmpl-…}, {@code msg_…}), the calls made
 * with the official SDKs, the ratings sent with plain java.net.http; and the canary verdict's thumbs-up share counts it.
 */
class GatewayFeedbackIT {
    static final String MASTER = "master-FEEDBACK-it-7a1e3c9d20b64f58";
    static final String ADMIN = "feedback-admin";
    static final String ADMIN_PASSWORD = "feedback admin password 1";
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final AppUnderTest app = GatewayClients.bothDialects("gateway-feedback")
            .settings(Map.of("chatrelay.gateway.master.key", MASTER, "chatrelay.admin.user", ADMIN,
                    "chatrelay.admin.password", ADMIN_PASSWORD));
    static Rows rows;
    static String key;
    static String keyId;
    static String other;

    @BeforeAll
    static void keys() throws Exception {
        rows = app.rows;
        JsonNode created = createKey("{\"name\":\"rater\"}");
        key = created.get("key").asText();
        keyId = created.get("id").asText();
        other = createKey("{\"name\":\"other\"}").get("key").asText();
    }

    static JsonNode createKey(String body) throws Exception {
        return GatewayClients.createKey(app, MASTER, body);
    }

    static ChatCompletionCreateParams hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hello").build();
    }

    static HttpResponse<String> rate(String k, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.base().resolve("v1/feedback")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (k != null) {
            b.header("Authorization", "Bearer " + k);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String body(String id, String rating) {
        return JSON.createObjectNode().put("id", id).put("rating", rating).toString();
    }

    static Map<String, Object> stored(String messageId) {
        return rows.one("SELECT f.rater, f.source, f.rating, f.comment FROM answer_feedback f JOIN answer_usage u ON u.id = f.usage_id"
                + " WHERE u.message_id = ?", messageId);
    }

    /** A passed-through stream: its chunks carry the provider's ids, the header the relay's. */
    static String streamedHeaderId(String k) {
        var raw = GatewayClients.openAi(app, k).chat().completions().withRawResponse().createStreaming(hello("gpt-test"));
        List<String> chunkIds = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
            stream.stream().forEach(c -> chunkIds.add(c.id()));
        }
        assertEquals(List.of("chatcmpl-fake"), chunkIds.stream().distinct().toList(), "the provider's own ids");
        return raw.headers().values(ResponseId.HEADER).get(0);
    }

    @Test
    void a_call_is_rated_by_its_header_id_and_rating_again_replaces_the_rating() throws Exception {
        String id = streamedHeaderId(key);
        assertEquals(404, rate(key, body("chatcmpl-fake", "up")).statusCode(), "a passed-through stream's own id is the provider's");

        HttpResponse<String> up = rate(key, body(id, "up"));
        assertEquals(204, up.statusCode(), up.body());
        assertEquals(Map.of("rater", "key:" + keyId, "source", "api", "rating", 1), withoutComment(stored(id)));

        HttpResponse<String> down = rate(key, JSON.createObjectNode().put("id", id).put("rating", "down").put("comment", "  too short ").toString());
        assertEquals(204, down.statusCode(), down.body());
        Map<String, Object> row = stored(id);
        assertEquals(-1, ((Number) row.get("rating")).intValue());
        assertEquals("too short", row.get("comment"));
        assertEquals(1, rows.query("SELECT f.usage_id FROM answer_feedback f JOIN answer_usage u ON u.id = f.usage_id"
                + " WHERE u.message_id = ?", id).size(), "one row per answer");
    }

    @Test
    void translated_responses_are_rated_by_their_chatcmpl_and_msg_ids_and_an_anthropic_stream_by_its_header() throws Exception {
        var openAi = GatewayClients.openAi(app, key).chat().completions().withRawResponse().create(hello("claude-test"));
        ChatCompletion completion = openAi.parse();
        String openAiHeader = openAi.headers().values(ResponseId.HEADER).get(0);
        assertEquals("chatcmpl-" + openAiHeader, completion.id());
        assertEquals(204, rate(key, body(completion.id(), "up")).statusCode());
        assertEquals(1, ((Number) stored(openAiHeader).get("rating")).intValue());

        HttpResponseFor<Message> anthropic = GatewayClients.anthropic(app, key).messages().withRawResponse()
                .create(MessageCreateParams.builder().model("gpt-test").maxTokens(100).addUserMessage("hello").build());
        Message message = anthropic.parse();
        String anthropicHeader = anthropic.headers().values(ResponseId.HEADER).get(0);
        assertEquals("msg_" + anthropicHeader.replace("-", ""), message.id());
        HttpResponse<String> r = rate(null, body(message.id(), "down"), "x-api-key", key, "anthropic-version", "2023-06-01");
        assertEquals(204, r.statusCode(), r.body());
        assertEquals(-1, ((Number) stored(anthropicHeader).get("rating")).intValue());

        var streamed = GatewayClients.anthropic(app, key).messages().withRawResponse()
                .createStreaming(MessageCreateParams.builder().model("claude-test").maxTokens(100).addUserMessage("hello").build());
        List<String> starts = new ArrayList<>();
        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> events = streamed.parse()) {
            events.stream().forEach(e -> e.messageStart().ifPresent(m -> starts.add(m.message().id())));
        }
        String passedHeader = streamed.headers().values(ResponseId.HEADER).get(0);
        assertEquals(List.of("msg_fake"), starts, "a passed-through stream: the provider's own id");
        assertEquals(204, rate(null, body(passedHeader, "up"), "x-api-key", key).statusCode());
        assertEquals(1, ((Number) stored(passedHeader).get("rating")).intValue());
    }

    @Test
    void another_keys_call_is_404_exactly_as_an_unknown_id_in_the_callers_dialect() throws Exception {
        String id = streamedHeaderId(key);
        HttpResponse<String> foreign = rate(other, body(id, "down"));
        assertEquals(404, foreign.statusCode());
        JsonNode error = JSON.readTree(foreign.body()).get("error");
        assertEquals("not_found", error.get("code").asText());
        assertEquals("invalid_request_error", error.get("type").asText());
        assertTrue(error.has("param"), foreign.body());
        HttpResponse<String> unknown = rate(other, body("chatcmpl-00000000-0000-0000-0000-000000000000", "down"));
        assertEquals(404, unknown.statusCode());
        assertEquals(foreign.body().replace(id, "?"), unknown.body().replace("chatcmpl-00000000-0000-0000-0000-000000000000", "?"),
                "nothing tells another key's call from no call");
        assertTrue(rows.query("SELECT f.usage_id FROM answer_feedback f JOIN answer_usage u ON u.id = f.usage_id WHERE u.message_id = ?", id)
                .isEmpty(), "not stored");

        HttpResponse<String> anthropic = rate(null, body(id, "down"), "x-api-key", other);
        assertEquals(404, anthropic.statusCode());
        JsonNode a = JSON.readTree(anthropic.body());
        assertEquals("error", a.get("type").asText());
        assertEquals("not_found_error", a.get("error").get("type").asText());
    }

    @Test
    void a_call_still_streaming_is_404_and_rateable_once_it_ended() throws Exception {
        HttpResponse<InputStream> open = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.base().resolve("v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-test\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"[forever:0:50] go\"}]}")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, open.statusCode());
        String id = open.headers().firstValue(ResponseId.HEADER).orElseThrow();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(open.body(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.startsWith("data: "));
            assertTrue(line != null && line.contains("delta"), "the answer is streaming: " + line);
            HttpResponse<String> early = rate(key, body(id, "up"));
            assertEquals(404, early.statusCode(), "not finished: " + early.body());
        }
        rows.endedUsage(id, 10_000);
        assertEquals(204, rate(key, body(id, "up")).statusCode(), "an answer the client left is finished (client_gone)");
    }

    @Test
    void a_bad_body_is_400_naming_the_member() throws Exception {
        String id = streamedHeaderId(key);
        assertBad(rate(key, body(id, "meh")), "rating");
        assertBad(rate(key, JSON.createObjectNode().put("rating", "up").toString()), "id");
        assertBad(rate(key, JSON.createObjectNode().put("id", id).put("rating", "up").put("stars", 5).toString()), "stars");
        char[] tooLong = new char[501];
        Arrays.fill(tooLong, 'x');
        assertBad(rate(key, JSON.createObjectNode().put("id", id).put("rating", "up").put("comment", new String(tooLong)).toString()), "comment");
        assertBad(rate(key, "{\"id\":"), null);
        assertTrue(rows.query("SELECT f.usage_id FROM answer_feedback f JOIN answer_usage u ON u.id = f.usage_id WHERE u.message_id = ?", id)
                .isEmpty(), "nothing stored");
    }

    static void assertBad(HttpResponse<String> r, String param) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals("invalid_request_error", error.get("type").asText(), r.body());
        assertEquals(param, error.get("param").isNull() ? null : error.get("param").asText(), r.body());
        assertTrue(param == null || error.get("message").asText().contains(param), r.body());
    }

    @Test
    void no_wrong_or_revoked_key_is_401() throws Exception {
        String id = streamedHeaderId(key);
        HttpResponse<String> none = rate(null, body(id, "up"));
        assertEquals(401, none.statusCode());
        assertEquals("invalid_api_key", JSON.readTree(none.body()).get("error").get("code").asText(), none.body());
        assertEquals(401, rate("crk-not-a-real-key", body(id, "up")).statusCode());
        JsonNode revoked = createKey("{\"name\":\"revoked\"}");
        String revokedKey = revoked.get("key").asText();
        String revokedCall = streamedHeaderId(revokedKey);
        assertEquals(204, HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.base().resolve("admin/api/keys/" + revoked.get("id").asText()))
                .header("Authorization", "Bearer " + MASTER).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> r = rate(revokedKey, body(revokedCall, "up"), "anthropic-version", "2023-06-01");
        assertEquals(401, r.statusCode());
        assertEquals("authentication_error", JSON.readTree(r.body()).get("error").get("type").asText(), r.body());
    }

    @Test
    void the_canary_verdicts_thumbs_up_share_counts_gateway_ratings() throws Exception {
        JsonNode created = createKey("{\"name\":\"reported\"}");
        String reported = created.get("key").asText();
        for (String rating : List.of("up", "up", "down")) {
            assertEquals(204, rate(reported, body(streamedHeaderId(reported), rating)).statusCode());
        }
        streamedHeaderId(reported); // answered, not rated: not in the share's denominator
        AdminClient admin = new AdminClient(app.base());
        admin.login(ADMIN, ADMIN_PASSWORD);
        HttpResponse<String> csv = admin.get("admin/export/quality.csv?key=" + created.get("id").asText());
        assertEquals(200, csv.statusCode(), csv.body());
        List<String> header = List.of(csv.body().lines().findFirst().orElseThrow().split(","));
        List<String> main = csv.body().lines().filter(l -> l.startsWith("main,")).map(l -> List.of(l.split(","))).findFirst().orElseThrow();
        assertEquals("4", main.get(header.indexOf("answers")), csv.body());
        assertEquals("2", main.get(header.indexOf("thumbs_up")), csv.body());
        assertEquals("3", main.get(header.indexOf("thumbs_up_of")), csv.body());
    }

    private static Map<String, Object> withoutComment(Map<String, Object> row) {
        return Map.of("rater", row.get("rater"), "source", row.get("source"), "rating", ((Number) row.get("rating")).intValue());
    }
}
