package org.chatrelay.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.TestSecrets;

/** The gateway's clients in tests: a key from the admin API, and each official SDK pointed at the app with a key. */
final class GatewayClients {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayClients() {
    }

    /**
     * An app over one fake upstream serving {@code gpt-test} as an OpenAI-dialect provider and {@code claude-test} as an
     * Anthropic-dialect one, on the database the run selects: each SDK's call is same- or cross-dialect by its model.
     */
    static AppUnderTest bothDialects(String name) {
        return AppUnderTest.named(name).database(AppUnderTest.Db.SELECTED).providers(1, upstreams -> """
                {'defaultModel': 'gpt-test',
                 'providers': [
                  {'name': 'oai', 'baseUrl': '%s', 'models': [{'name': 'gpt-test'}]},
                  {'name': 'ant', 'dialect': 'anthropic', 'baseUrl': '%s', 'models': [{'name': 'claude-test'}]}]}
                """.formatted(upstreams.get(0).baseUrl(), upstreams.get(0).baseUrl()));
    }

    /** The admin API's answer (the secret remembered for the secrets scan). */
    static JsonNode createKey(AppUnderTest app, String master, String body) throws Exception {
        return createKey(app.base(), master, body);
    }

    /** {@link #createKey(AppUnderTest, String, String)} on the app at {@code base} (a node, or nginx in front of nodes). */
    static JsonNode createKey(URI base, String master, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("admin/api/keys"))
                .header("Authorization", "Bearer " + master).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode created = JSON.readTree(r.body());
        TestSecrets.remember(created.get("key").asText());
        return created;
    }

    /** No retries: a test sees each refusal as sent. */
    static OpenAIClient openAi(AppUnderTest app, String key) {
        return OpenAIOkHttpClient.builder().baseUrl(app.base().resolve("v1").toString()).apiKey(key).maxRetries(0).build();
    }

    /** The Anthropic SDK adds {@code /v1/messages} to a base without its trailing slash. */
    static AnthropicClient anthropic(AppUnderTest app, String key) {
        String base = app.base().toString();
        return AnthropicOkHttpClient.builder().baseUrl(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                .apiKey(key).maxRetries(0).build();
    }
}
