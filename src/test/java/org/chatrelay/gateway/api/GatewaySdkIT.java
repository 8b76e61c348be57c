package org.chatrelay.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.Rows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 items 1, 4 and 5 with the official SDKs as the clients: an OpenAI-dialect provider serving {@code gpt-test}
 * and an Anthropic-dialect one serving {@code claude-test}, both on the fake upstream; each SDK asks both, so every
 * call is either same- or cross-dialect, streaming and not, and the answer is the relay's one answer path. Also in the
 * PostgreSQL pass (V13 and V15 through the whole path, the key page's and the report's SQL).
 */
class GatewaySdkIT {
    static final String MASTER = "master-GATEWAY-it-5d0c2b7e91f84a3c";
    static final String ADMIN = "gateway-admin";
    static final String ADMIN_PASSWORD = "gateway admin password 1";
    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    // A chat answer would wait 30 s for its browser to come back; a gateway call ends when its client leaves (issue 16).
    static final AppUnderTest app = GatewayClients.bothDialects("gateway-sdk")
            .settings(Map.of("chatrelay.gateway.master.key", MASTER, "chatrelay.retry.base.delay.ms", "20",
                    "chatrelay.admin.user", ADMIN, "chatrelay.admin.password", ADMIN_PASSWORD, "chatrelay.detached.grace.ms", "30000"));
    static FakeUpstream upstream;
    static Rows rows;
    static String key;
    static String keyId;
    static String gptOnly;
    static String gptOnlyId;

    @BeforeAll
    static void keys() throws Exception {
        upstream = app.upstream;
        rows = app.rows;
        JsonNode created = createKey("{\"name\":\"sdk\",\"storeContent\":true}");
        key = created.get("key").asText();
        keyId = created.get("id").asText();
        JsonNode gptOnlyKey = createKey("{\"name\":\"gpt only\",\"models\":[\"gpt-test\"]}");
        gptOnly = gptOnlyKey.get("key").asText();
        gptOnlyId = gptOnlyKey.get("id").asText();
    }

    static JsonNode createKey(String body) throws Exception {
        return GatewayClients.createKey(app, MASTER, body);
    }

    static OpenAIClient openAi(String k) {
        return GatewayClients.openAi(app, k);
    }

    static AnthropicClient anthropic(String k) {
        return GatewayClients.anthropic(app, k);
    }

    static ChatCompletionCreateParams ask(String model, String text) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Answer briefly.").addUserMessage(text).build();
    }

    static MessageCreateParams askAnthropic(String model, String text) {
        return MessageCreateParams.builder().model(model).maxTokens(100).system("Answer briefly.").addUserMessage(text).build();
    }

    static String streamedText(OpenAIClient client, ChatCompletionCreateParams params, List<ChatCompletionChunk> into) {
        StringBuilder text = new StringBuilder();
        try (var stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(c -> {
                into.add(c);
                c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
            });
        }
        return text.toString();
    }

    static String streamedText(AnthropicClient client, MessageCreateParams params, List<RawMessageStreamEvent> into) {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(e -> {
                into.add(e);
                e.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
            });
        }
        return text.toString();
    }

    @Test
    void openai_sdk_non_streaming_same_and_cross_dialect() {
        for (String model : List.of("gpt-test", "claude-test")) {
            ChatCompletion c = openAi(key).chat().completions().create(ask(model, "hello"));
            assertEquals("Hello world", c.choices().get(0).message().content().orElseThrow(), model);
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason(), model);
            assertEquals(model, c.model());
            assertTrue(c.usage().orElseThrow().promptTokens() > 0, model);
            assertTrue(c.usage().orElseThrow().completionTokens() > 0, model);
        }
        JsonNode sent = upstream.requests.get(upstream.requests.size() - 1);
        assertEquals("Answer briefly.", sent.get("system").asText(), "the system message became Anthropic's system field");
    }

    @Test
    void openai_sdk_streaming_same_and_cross_dialect_with_usage_only_when_asked() {
        for (String model : List.of("gpt-test", "claude-test")) {
            List<ChatCompletionChunk> chunks = new java.util.ArrayList<>();
            assertEquals("Hello world", streamedText(openAi(key), ask(model, "hello"), chunks), model);
            assertTrue(chunks.stream().allMatch(c -> c.usage().isEmpty()), "usage not forwarded unless asked");
            assertEquals(Optional.of(ChatCompletionChunk.Choice.FinishReason.STOP),
                    chunks.get(chunks.size() - 1).choices().get(0).finishReason(), model);

            List<ChatCompletionChunk> withUsage = new java.util.ArrayList<>();
            streamedText(openAi(key), ask(model, "hello").toBuilder()
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build(), withUsage);
            assertTrue(withUsage.get(withUsage.size() - 1).usage().orElseThrow().completionTokens() > 0, model);
        }
        JsonNode sent = upstream.requests.get(upstream.requests.size() - 1);
        assertTrue(sent.path("stream").asBoolean(), "upstream is always streamed");
    }

    @Test
    void anthropic_sdk_non_streaming_and_streaming_same_and_cross_dialect() {
        for (String model : List.of("claude-test", "gpt-test")) {
            Message m = anthropic(key).messages().create(askAnthropic(model, "hello"));
            assertEquals("Hello world", m.content().get(0).text().orElseThrow().text(), model);
            assertEquals(Optional.of(StopReason.END_TURN), m.stopReason(), model);
            assertTrue(m.usage().outputTokens() > 0, model);

            List<RawMessageStreamEvent> events = new java.util.ArrayList<>();
            assertEquals("Hello world", streamedText(anthropic(key), askAnthropic(model, "hello"), events), model);
            assertTrue(events.get(0).isMessageStart(), model);
            assertTrue(events.get(events.size() - 1).isMessageStop(), model);
            assertEquals(Optional.of(StopReason.END_TURN), events.stream().filter(RawMessageStreamEvent::isMessageDelta)
                    .findFirst().orElseThrow().asMessageDelta().delta().stopReason(), model);
        }
    }

    @Test
    void sampling_and_max_tokens_reach_the_provider_translated() {
        int before = upstream.requests.size();
        openAi(key).chat().completions().create(ask("claude-test", "hello").toBuilder().temperature(0.25).maxCompletionTokens(77L).build());
        JsonNode sent = upstream.requests.get(before);
        assertEquals(0.25, sent.get("temperature").asDouble());
        assertEquals(77, sent.get("max_tokens").asInt(), "OpenAI's max_completion_tokens is Anthropic's max_tokens");
    }

    static final List<Map<String, Object>> OPENAI_TOOLS = List.of(Map.of("type", "function", "function",
            Map.of("name", "get_weather", "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))))));
    static final List<Map<String, Object>> ANTHROPIC_TOOLS = List.of(Map.of("name", "get_weather", "input_schema",
            Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")))));

    @Test
    void a_same_dialect_stream_passes_the_request_and_the_providers_chunks_through_tool_calls_included() {
        int before = upstream.requests.size();
        List<ChatCompletionChunk> chunks = new java.util.ArrayList<>();
        streamedText(openAi(key), ask("gpt-test", "[tool] weather?").toBuilder().logprobs(true)
                .putAdditionalBodyProperty("tools", com.openai.core.JsonValue.from(OPENAI_TOOLS)).build(), chunks);
        JsonNode sent = upstream.requests.get(before);
        assertEquals("get_weather", sent.path("tools").path(0).path("function").path("name").asText(), "tools reach the provider as sent");
        assertTrue(sent.path("logprobs").asBoolean(), "a member the gateway does not read reaches the provider");
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean(), "usage asked upstream for the accounting");
        assertEquals("chatcmpl-fake", chunks.get(0).id(), "the provider's own chunks");
        String arguments = chunks.stream().flatMap(c -> c.choices().stream()).flatMap(ch -> ch.delta().toolCalls().stream())
                .flatMap(List::stream).map(t -> t.function().flatMap(f -> f.arguments()).orElse("")).reduce("", String::concat);
        assertEquals("{\"city\":\"Paris\"}", arguments);
        assertEquals(Optional.of(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS),
                chunks.stream().flatMap(c -> c.choices().stream()).map(ch -> ch.finishReason()).filter(Optional::isPresent)
                        .findFirst().orElseThrow());
        assertTrue(chunks.stream().allMatch(c -> c.usage().isEmpty()), "usage asked upstream is not forwarded unless asked");

        List<RawMessageStreamEvent> events = new java.util.ArrayList<>();
        streamedText(anthropic(key), askAnthropic("claude-test", "[tool] weather?").toBuilder()
                .putAdditionalBodyProperty("tools", com.anthropic.core.JsonValue.from(ANTHROPIC_TOOLS)).build(), events);
        assertEquals("get_weather", upstream.requests.get(upstream.requests.size() - 1).path("tools").path(0).path("name").asText());
        assertEquals("toolu_fake1", events.stream().filter(RawMessageStreamEvent::isContentBlockStart).findFirst().orElseThrow()
                .asContentBlockStart().contentBlock().asToolUse().id());
        assertEquals(Optional.of(StopReason.TOOL_USE), events.stream().filter(RawMessageStreamEvent::isMessageDelta)
                .findFirst().orElseThrow().asMessageDelta().delta().stopReason());
        assertTrue(events.get(events.size() - 1).isMessageStop());
    }

    @Test
    void a_passed_through_stream_retried_before_its_first_content_shows_one_start() {
        upstream.plan("again", org.chatrelay.testing.Reply.stream("errorfirst"), org.chatrelay.testing.Reply.stream("normal"));
        long before = upstream.requestsFor("again");
        List<RawMessageStreamEvent> events = new java.util.ArrayList<>();
        assertEquals("Hello world", streamedText(anthropic(key), askAnthropic("claude-test", "[plan:again] hello"), events));
        assertEquals(2, upstream.requestsFor("again") - before, "the first attempt failed after its message_start");
        assertEquals(1, events.stream().filter(RawMessageStreamEvent::isMessageStart).count(), "its message_start was held back");
        assertTrue(events.get(events.size() - 1).isMessageStop());
    }

    @Test
    void tools_across_dialects_are_refused_naming_the_member() {
        var e = assertThrows(com.openai.errors.BadRequestException.class, () -> streamedText(openAi(key), ask("claude-test", "hi")
                .toBuilder().putAdditionalBodyProperty("tools", com.openai.core.JsonValue.from(OPENAI_TOOLS)).build(), new java.util.ArrayList<>()));
        assertEquals(Optional.of("tools"), e.param());
    }

    @Test
    void a_member_not_translated_is_a_400_naming_it_in_each_dialect() throws Exception {
        var e = assertThrows(com.openai.errors.BadRequestException.class, () -> openAi(key).chat().completions().create(
                ask("gpt-test", "hello").toBuilder().logprobs(true).build()));
        assertEquals(Optional.of("logprobs"), e.param());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.base().resolve("v1/messages"))
                .header("x-api-key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-test\",\"max_tokens\":10,\"tools\":[],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request_error", JSON.readTree(r.body()).path("error").path("type").asText());
        assertTrue(JSON.readTree(r.body()).path("error").path("message").asText().contains("'tools'"), r.body());
    }

    @Test
    void wrong_key_and_model_not_allowed_are_the_sdks_typed_exceptions() {
        assertThrows(com.openai.errors.UnauthorizedException.class,
                () -> openAi("crk-" + "0".repeat(32)).chat().completions().create(ask("gpt-test", "hello")));
        assertThrows(com.anthropic.errors.UnauthorizedException.class,
                () -> anthropic("crk-" + "0".repeat(32)).messages().create(askAnthropic("claude-test", "hello")));
        assertThrows(com.openai.errors.PermissionDeniedException.class,
                () -> openAi(gptOnly).chat().completions().create(ask("claude-test", "hello")));
        assertThrows(com.anthropic.errors.PermissionDeniedException.class,
                () -> anthropic(gptOnly).messages().create(askAnthropic("claude-test", "hello")));
        assertThrows(com.openai.errors.NotFoundException.class,
                () -> openAi(key).chat().completions().create(ask("no-such-model", "hello")));
    }

    @Test
    void over_the_rpm_is_a_429_with_retry_after_in_both_sdks_and_nothing_goes_upstream() throws Exception {
        String limited = createKey("{\"name\":\"one a minute\",\"rpm\":1}").get("key").asText();
        assertEquals("Hello world", openAi(limited).chat().completions().create(ask("gpt-test", "hello")).choices().get(0)
                .message().content().orElseThrow());
        int before = upstream.requests.size();
        var openAiLimited = assertThrows(com.openai.errors.RateLimitException.class,
                () -> openAi(limited).chat().completions().create(ask("gpt-test", "hello")));
        assertEquals(Optional.of("rate_limit_exceeded"), openAiLimited.code());
        assertTrue(Integer.parseInt(openAiLimited.headers().values("Retry-After").get(0)) >= 1);
        var anthropicLimited = assertThrows(com.anthropic.errors.RateLimitException.class,
                () -> anthropic(limited).messages().create(askAnthropic("claude-test", "hello")));
        assertTrue(Integer.parseInt(anthropicLimited.headers().values("Retry-After").get(0)) >= 1);
        assertEquals(before, upstream.requests.size());
    }

    @Test
    void a_provider_that_keeps_refusing_with_429_is_retried_then_a_429_with_retry_after() {
        upstream.plan("limited", org.chatrelay.testing.Reply.status(429).retryAfter("1"));
        int before = upstream.requests.size();
        var e = assertThrows(com.openai.errors.RateLimitException.class,
                () -> openAi(key).chat().completions().create(ask("gpt-test", "[plan:limited] hello")));
        assertTrue(upstream.requests.size() - before >= 2, "retried before the first byte: " + (upstream.requests.size() - before));
        assertFalse(e.headers().values("Retry-After").isEmpty(), "Retry-After passed on");
    }

    @Test
    void a_failure_after_the_first_byte_is_an_exception_in_both_sdks_never_a_clean_end() {
        for (String model : List.of("gpt-test", "claude-test")) {
            List<ChatCompletionChunk> chunks = new java.util.ArrayList<>();
            assertThrows(RuntimeException.class, () -> streamedText(openAi(key), ask(model, "[cut] hello"), chunks), model);
            assertFalse(chunks.isEmpty(), "the stream had begun");
            List<RawMessageStreamEvent> events = new java.util.ArrayList<>();
            assertThrows(RuntimeException.class, () -> streamedText(anthropic(key), askAnthropic(model, "[cut] hello"), events), model);
            assertFalse(events.stream().anyMatch(RawMessageStreamEvent::isMessageStop), model);
        }
    }

    @Test
    void a_client_that_disconnects_aborts_the_upstream_request() throws Exception {
        int before = upstream.aborted.get();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.base().resolve("v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-test\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"[forever] go\"}]}")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        InputStream in = r.body();
        byte[] first = new byte[64];
        assertTrue(in.read(first) > 0);
        in.close();
        assertTrue(upstream.awaitAborted(before, 10_000), "the provider's request was aborted");
    }

    @Test
    void each_call_is_a_usage_row_under_its_key_with_its_end_user_dialect_and_streaming() {
        openAi(key).chat().completions().create(ask("claude-test", "hello").toBuilder().user("end-user-7").build());
        List<RawMessageStreamEvent> events = new java.util.ArrayList<>();
        streamedText(anthropic(key), askAnthropic("gpt-test", "hello").toBuilder()
                .metadata(com.anthropic.models.messages.Metadata.builder().userId("end-user-8").build()).build(), events);
        Map<String, Object> openAiRow = rows.one("SELECT visitor_id, provider, dialect, streaming, completion_tokens, end_reason"
                + " FROM answer_usage WHERE key_id = ? AND end_user = 'end-user-7'", keyId);
        assertEquals("gateway:" + keyId, openAiRow.get("visitor_id"));
        assertEquals("ant", openAiRow.get("provider"));
        assertEquals("openai", openAiRow.get("dialect"));
        assertEquals(false, openAiRow.get("streaming"));
        assertEquals("completed", openAiRow.get("end_reason"));
        assertEquals(3, ((Number) openAiRow.get("completion_tokens")).intValue(), "the provider's usage, not an estimate");
        Map<String, Object> anthropicRow = rows.one("SELECT dialect, streaming, provider FROM answer_usage WHERE end_user = 'end-user-8'");
        assertEquals("anthropic", anthropicRow.get("dialect"));
        assertEquals(true, anthropicRow.get("streaming"));
        assertEquals("oai", anthropicRow.get("provider"));
        assertEquals(0, ((Number) rows.one("SELECT COUNT(*) AS n FROM answer_usage WHERE key_id IS NULL AND dialect IS NOT NULL")
                .get("n")).intValue());
    }

    @Test
    void a_keys_page_shows_its_calls_spend_latency_and_last_errors() throws Exception {
        JsonNode created = createKey("{\"name\":\"paged\",\"dailyBudgetUsd\":5}");
        String paged = created.get("key").asText();
        openAi(paged).chat().completions().create(ask("claude-test", "hello"));
        streamedText(anthropic(paged), askAnthropic("claude-test", "hello"), new java.util.ArrayList<>());
        assertThrows(RuntimeException.class, () -> streamedText(openAi(paged), ask("gpt-test", "[cut] hello"), new java.util.ArrayList<>()));
        org.chatrelay.admin.AdminClient admin = new org.chatrelay.admin.AdminClient(app.base());
        admin.login(ADMIN, ADMIN_PASSWORD);
        HttpResponse<String> page = admin.get("admin/keys/" + created.get("id").asText());
        assertEquals(200, page.statusCode());
        String today = page.body().substring(page.body().indexOf("<tr id=\"today\">"), page.body().indexOf("<tr id=\"month\">"));
        assertTrue(today.matches("(?s).*<td>3</td>.*\\$5\\.00.*"), today);
        assertTrue(page.body().contains("upstream_cut"), "the cut call is among the last errors");
        assertTrue(page.body().matches("(?s).*latest <span>2</span> answered calls.*"), "two answered calls in the percentiles");
        assertEquals(404, admin.get("admin/keys/00000000-0000-0000-0000-000000000000").statusCode());
    }

    @Test
    void the_report_filters_and_breaks_down_by_key_and_by_source() throws Exception {
        JsonNode created = createKey("{\"name\":\"reported\"}");
        openAi(created.get("key").asText()).chat().completions().create(ask("gpt-test", "hello"));
        openAi(created.get("key").asText()).chat().completions().create(ask("claude-test", "hello"));
        org.chatrelay.admin.AdminClient admin = new org.chatrelay.admin.AdminClient(app.base());
        admin.login(ADMIN, ADMIN_PASSWORD);
        String id = created.get("id").asText();
        String byKey = admin.get("admin?key=" + id).body();
        assertTrue(byKey.matches("(?s).*data-figure=\"answers\">2<.*"), "the key's two calls, and only them");
        assertTrue(byKey.matches("(?s).*<table id=\"by-key\">.*" + java.util.regex.Pattern.quote(created.get("prefix").asText())
                + "… reported.*"), "the breakdown names the key by prefix and name");
        String gateway = admin.get("admin?source=gateway").body();
        assertTrue(gateway.matches("(?s).*<table id=\"by-source\">.*<th scope=\"row\">gateway</th>.*"), "by source");
        assertFalse(gateway.matches("(?s).*<table id=\"by-source\">.*<th scope=\"row\">chat page</th>.*</table>.*<table id=\"by-key\">.*"),
                "the source filter leaves the chat page out");
        assertEquals(400, admin.get("admin?source=elsewhere").statusCode());
    }

    @Test
    void a_key_that_stores_no_content_keeps_the_figures_and_not_the_text() {
        openAi(gptOnly).chat().completions().create(ask("gpt-test", "a private question"));
        List<Map<String, Object>> texts = rows.query("SELECT m.role, m.content FROM message m JOIN conversation c"
                + " ON m.conversation_id = c.id WHERE c.visitor_id = ?", "gateway:" + gptOnlyId);
        assertEquals(2, texts.size(), texts.toString());
        assertTrue(texts.stream().allMatch(t -> "".equals(t.get("content"))), texts.toString());
        assertTrue(((Number) rows.one("SELECT completion_tokens FROM answer_usage WHERE key_id = ?", gptOnlyId)
                .get("completion_tokens")).intValue() > 0, "the usage is kept");

        openAi(key).chat().completions().create(ask("gpt-test", "a kept question"));
        assertEquals(1, rows.query("SELECT m.id FROM message m JOIN conversation c ON m.conversation_id = c.id"
                + " WHERE c.visitor_id = ? AND m.content = 'a kept question'", "gateway:" + keyId).size(), "storeContent on: kept");
    }

    @Test
    void models_lists_what_the_key_may_use() {
        List<String> all = openAi(key).models().list().data().stream().map(m -> m.id()).toList();
        assertEquals(List.of("gpt-test", "claude-test"), all);
        assertEquals(List.of("gpt-test"), openAi(gptOnly).models().list().data().stream().map(m -> m.id()).toList());
    }
}
