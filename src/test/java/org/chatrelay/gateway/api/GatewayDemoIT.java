package org.chatrelay.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.TestSecrets;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it as a gateway" as written: the app out of the box (the demo upstream), a key from the admin API,
 * the curl calls and both official SDKs; the demo upstream answers each, and each call is a usage row under the key.
 */
class GatewayDemoIT {
    static final String MASTER = "master-GATEWAY-demo-7e4b19a0c2d35f68";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void curl_and_both_sdks_get_answers_from_the_demo_upstream_under_their_key() throws Exception {
        try (AppUnderTest app = AppUnderTest.named("gateway-demo").demo().settings(Map.of("chatrelay.gateway.master.key", MASTER))
                .start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(app.base().resolve("admin/api/keys"))
                    .header("Authorization", "Bearer " + MASTER).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"readme\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            JsonNode key = JSON.readTree(created.body());
            String secret = key.get("key").asText();
            TestSecrets.remember(secret);

            HttpResponse<String> stream = http.send(HttpRequest.newBuilder(app.base().resolve("v1/chat/completions"))
                    .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chatrelay-demo\",\"stream\":true,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stream.statusCode(), stream.body());
            assertTrue(stream.body().contains("\"content\":") && stream.body().endsWith("data: [DONE]\n\n"), stream.body());

            HttpResponse<String> message = http.send(HttpRequest.newBuilder(app.base().resolve("v1/messages"))
                    .header("x-api-key", secret).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chatrelay-demo\",\"max_tokens\":200,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, message.statusCode(), message.body());
            assertFalse(JSON.readTree(message.body()).path("content").path(0).path("text").asText().isEmpty(), message.body());

            ChatCompletion c = OpenAIOkHttpClient.builder().baseUrl(app.base().resolve("v1").toString()).apiKey(secret).build()
                    .chat().completions().create(ChatCompletionCreateParams.builder().model("chatrelay-demo").addUserMessage("hello").build());
            assertFalse(c.choices().get(0).message().content().orElse("").isEmpty());
            String base = app.base().toString();
            Message m = AnthropicOkHttpClient.builder().baseUrl(base.substring(0, base.length() - 1)).apiKey(secret).build()
                    .messages().create(MessageCreateParams.builder().model("chatrelay-demo").maxTokens(200).addUserMessage("hello").build());
            assertFalse(m.content().get(0).text().orElseThrow().text().isEmpty());

            assertEquals(4, app.rows.query("SELECT id FROM answer_usage WHERE key_id = ? AND end_reason = 'completed'",
                    key.get("id").asText()).size());
        }
    }
}
