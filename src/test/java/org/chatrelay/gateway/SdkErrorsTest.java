package org.chatrelay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.chatrelay.config.Dialect;
import org.chatrelay.gateway.errors.Refusal;
import org.chatrelay.gateway.keys.GatewayKeys;
import org.chatrelay.gateway.keys.KeyRepository;
import org.chatrelay.gateway.keys.KeySpec;
import org.chatrelay.gateway.keys.VirtualKey;
import org.chatrelay.gateway.limits.Admission;
import org.chatrelay.gateway.limits.KeyLimits;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.TestDb;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's foundation as the official SDKs meet it: a stub endpoint in each dialect that authenticates with
 * {@link GatewayKeys}, permits the model, admits through {@link KeyLimits} and refuses with {@link Refusal}'s error,
 * and answers a fixed "ok" otherwise. Each SDK must raise its typed exception with the type and code it parses.
 */
class SdkErrorsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Database db;
    static Server server;
    static GatewayKeys keys;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        db = TestDb.h2();
        keys = new GatewayKeys(new KeyRepository(db.dataSource()), Clock.systemUTC());
        KeyLimits limits = new KeyLimits(db.dataSource(), Clock.systemUTC(), "stub");
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new Stub(Dialect.OPENAI, limits)), "/v1/chat/completions");
        context.addServlet(new ServletHolder(new Stub(Dialect.ANTHROPIC, limits)), "/v1/messages");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        TestDb.close(db);
    }

    /** What an endpoint will do before it calls the router. */
    static final class Stub extends HttpServlet {
        final Dialect dialect;
        final KeyLimits limits;

        Stub(Dialect dialect, KeyLimits limits) {
            this.dialect = dialect;
            this.limits = limits;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
            try {
                VirtualKey key = keys.authenticate(req.getHeader("Authorization"), req.getHeader("x-api-key"));
                GatewayKeys.permit(key, JSON.readTree(req.getInputStream()).get("model").asText());
                try (Admission ignored = limits.admit(key, false, 0)) {
                    res.setContentType("application/json");
                    res.getOutputStream().write((dialect == Dialect.OPENAI
                            ? "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"m\",\"choices\":[{\"index\":0,"
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}"
                            : "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[{\"type\":\"text\","
                            + "\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}")
                            .getBytes(StandardCharsets.UTF_8));
                }
            } catch (Refusal r) {
                r.error().write(res, dialect);
            }
        }
    }

    static String key(Integer rpm, Long dailyBudgetMicros) {
        return keys.create(new KeySpec("sdk", null, List.of("m"), rpm, null, dailyBudgetMicros, null, null, false)).secret();
    }

    static OpenAIClient openAi(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey(key).maxRetries(0).build();
    }

    static AnthropicClient anthropic(String key) {
        return AnthropicOkHttpClient.builder().baseUrl(base).apiKey(key).maxRetries(0).build();
    }

    static String openAiAsk(String key, String model) {
        return openAi(key).chat().completions().create(ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build())
                .choices().get(0).message().content().orElseThrow();
    }

    static String anthropicAsk(String key, String model) {
        return anthropic(key).messages().create(MessageCreateParams.builder().model(model).maxTokens(10).addUserMessage("hi").build())
                .content().get(0).text().orElseThrow().text();
    }

    @Test
    void openai_sdk_gets_an_answer_with_a_key_and_typed_exceptions_for_each_refusal() throws Exception {
        String key = key(1, null);
        assertEquals("ok", openAiAsk(key, "m"));

        var unauthorized = assertThrows(com.openai.errors.UnauthorizedException.class, () -> openAiAsk("crk-" + "0".repeat(32), "m"));
        assertEquals(Optional.of("invalid_api_key"), unauthorized.code());
        assertThrows(com.openai.errors.UnauthorizedException.class, () -> openAiAsk("not-a-gateway-key", "m"));
        var denied = assertThrows(com.openai.errors.PermissionDeniedException.class, () -> openAiAsk(key, "gpt-4o"));
        assertEquals(Optional.of("permission_error"), denied.type());
        var limited = assertThrows(com.openai.errors.RateLimitException.class, () -> openAiAsk(key, "m"));
        assertEquals(Optional.of("rate_limit_exceeded"), limited.code());
        assertEquals(true, limited.headers().values("Retry-After").stream().anyMatch(v -> Integer.parseInt(v) >= 1), limited.headers().names().toString());

        String broke = key(null, 1L);
        GatewayUsage.insert(db.dataSource(), keys.authenticate(null, broke).id(), java.time.Instant.now(), 5L);
        var quota = assertThrows(com.openai.errors.RateLimitException.class, () -> openAiAsk(broke, "m"));
        assertEquals(Optional.of("insufficient_quota"), quota.code());
        assertEquals(Optional.of("insufficient_quota"), quota.type());
    }

    @Test
    void anthropic_sdk_gets_an_answer_with_a_key_and_typed_exceptions_for_each_refusal() {
        String key = key(1, null);
        assertEquals("ok", anthropicAsk(key, "m"));

        var unauthorized = assertThrows(com.anthropic.errors.UnauthorizedException.class, () -> anthropicAsk("crk-" + "0".repeat(32), "m"));
        assertEquals(Optional.of(ErrorType.AUTHENTICATION_ERROR), unauthorized.errorType());
        assertEquals(Optional.of("Invalid API key."), unauthorized.apiMessage());
        var denied = assertThrows(com.anthropic.errors.PermissionDeniedException.class, () -> anthropicAsk(key, "claude-sonnet-4"));
        assertEquals(Optional.of(ErrorType.PERMISSION_ERROR), denied.errorType());
        var limited = assertThrows(com.anthropic.errors.RateLimitException.class, () -> anthropicAsk(key, "m"));
        assertEquals(Optional.of(ErrorType.RATE_LIMIT_ERROR), limited.errorType());
        assertEquals(true, limited.headers().values("Retry-After").stream().anyMatch(v -> Integer.parseInt(v) >= 1));
    }
}
