package org.chatrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersConfigTest {
    @TempDir
    Path dir;

    static final String TWO_PROVIDERS = """
            {
              // comments are allowed, so the file can explain itself
              "defaultModel": "claude-sonnet-4-5",
              "fallbackModels": {"claude-sonnet-4-5": "deepseek-v3.2"},
              "canary": {"provider": "anthropic-canary", "percent": 20, "salt": "rollout-1"},
              "cooldown": {"windowMs": 30000, "minRequests": 10, "failureRatio": 0.6, "cooldownMs": 5000},
              "providers": [
                {"name": "anthropic", "dialect": "anthropic", "baseUrl": "https://api.anthropic.com/v1/",
                 "apiKey": {"env": "ANTHROPIC_KEY"},
                 "models": [{"name": "claude-sonnet-4-5", "upstreamModel": "claude-sonnet-4-5-20250929",
                             "inputPerMillion": 3, "outputPerMillion": 15, "cachedInputPerMillion": 0.3}],
                 "maxTokens": 2048, "maxConcurrentStreams": 50, "queue": {"size": 10, "maxWaitMs": 500},
                 "timeouts": {"connectMs": 3000, "firstTokenMs": 20000, "idleMs": 15000, "totalMs": 300000},
                 "retry": {"maxAttempts": 2, "baseDelayMs": 200, "maxDelayMs": 2000, "retryAfterCapMs": 10000}},
                {"name": "anthropic-canary", "dialect": "anthropic", "baseUrl": "https://canary.example/v1",
                 "apiKey": {"file": "KEYFILE"}, "models": [{"name": "claude-sonnet-4-5"}]},
                {"name": "deepseek", "baseUrl": "https://api.deepseek.com/v1", "apiKey": {"file": "KEYFILE"},
                 "models": [{"name": "deepseek-v3.2", "inputPerMillion": 0.28, "outputPerMillion": 0.42}]},
              ]
            }
            """;

    ProvidersConfig load(String json, Map<String, String> settings) throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "sk-file");
        Path file = dir.resolve("providers.json");
        Files.writeString(file, json.replace("KEYFILE", key.toString()));
        Map<String, String> all = new HashMap<>(settings);
        all.put("CHATRELAY_PROVIDERS_FILE", file.toString());
        all.putIfAbsent("ANTHROPIC_KEY", "sk-env");
        Settings s = Settings.of(all);
        return ProvidersConfig.from(AppConfig.from(s), s::get);
    }

    /** jetty-config/providers.example.json, with its key files and variables in place. */
    ProvidersConfig loadExample() throws Exception {
        Files.writeString(dir.resolve("anthropic-key"), "sk-a");
        Files.writeString(dir.resolve("canary-key"), "sk-c");
        String example = Files.readString(Path.of("jetty-config", "providers.example.json")).replace("/run/secrets/", dir + "/");
        return load(example, Map.of("ANTHROPIC_API_KEY", "sk-env", "DEEPSEEK_API_KEY", "sk-ds"));
    }

    ConfigException refused(String json) {
        return assertThrows(ConfigException.class, () -> load(json, Map.of()));
    }

    @Test
    void a_full_file_is_read_with_every_field() throws Exception {
        ProvidersConfig c = load(TWO_PROVIDERS, Map.of());
        assertEquals("claude-sonnet-4-5", c.defaultModel());
        assertEquals(Map.of("claude-sonnet-4-5", "deepseek-v3.2"), c.fallbackModels());
        assertEquals(new CanaryConfig("anthropic-canary", 20, "rollout-1"), c.canary().orElseThrow());
        assertEquals(new CooldownConfig(Duration.ofSeconds(30), 10, 0.6, Duration.ofSeconds(5)), c.cooldown());
        ProviderConfig a = c.providers().get(0);
        assertEquals(Dialect.ANTHROPIC, a.dialect());
        assertEquals("https://api.anthropic.com/v1", a.baseUrl().toString());
        assertEquals("sk-env", a.key().current().orElseThrow());
        assertFalse(a.key().toString().contains("sk-env"));
        assertEquals("claude-sonnet-4-5-20250929", a.model("claude-sonnet-4-5").orElseThrow().upstreamModel());
        assertEquals(new ModelPrice(3_000_000, 15_000_000, 300_000), a.model("claude-sonnet-4-5").orElseThrow().price().orElseThrow());
        assertEquals(2048, a.maxTokens());
        assertEquals(50, a.maxConcurrentStreams());
        assertEquals(10, a.queueSize());
        assertEquals(Duration.ofMillis(500), a.queueWait());
        assertEquals(new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofSeconds(15), Duration.ofMinutes(5)), a.timeouts());
        assertEquals(new RetryPolicy(2, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10)), a.retry());
        assertEquals("sk-file", c.providers().get(1).key().current().orElseThrow());
        assertEquals(Map.of("claude-sonnet-4-5", new ModelPrice(3_000_000, 15_000_000, 300_000),
                "deepseek-v3.2", new ModelPrice(280_000, 420_000, 280_000)), c.prices());
    }

    @Test
    void omitted_fields_take_the_single_upstream_settings_as_defaults() throws Exception {
        ProviderConfig canary = load(TWO_PROVIDERS, Map.of("CHATRELAY_IDLE_TIMEOUT_MS", "7000", "CHATRELAY_RETRY_MAX_ATTEMPTS", "5"))
                .providers().get(1);
        assertEquals(Dialect.ANTHROPIC, canary.dialect());
        assertEquals(Duration.ofSeconds(7), canary.timeouts().idle());
        assertEquals(5, canary.retry().maxAttempts());
        assertEquals(4096, canary.maxTokens());
        assertEquals(Optional.empty(), canary.model("claude-sonnet-4-5").orElseThrow().price());
    }

    @Test
    void chatrelay_model_picks_the_default_among_the_files_models() throws Exception {
        assertEquals("deepseek-v3.2", load(TWO_PROVIDERS, Map.of("CHATRELAY_MODEL", "deepseek-v3.2")).defaultModel());
        ConfigException e = assertThrows(ConfigException.class, () -> load(TWO_PROVIDERS, Map.of("CHATRELAY_MODEL", "gpt-9")));
        assertTrue(e.getMessage().contains("CHATRELAY_MODEL") && e.getMessage().contains("providers.json"), e.getMessage());
    }

    @Test
    void every_error_names_the_file_and_the_field() {
        assertRefusal(TWO_PROVIDERS.replace("\"maxAttempts\": 2", "\"maxAttempts\": 0"), "providers[0].retry.maxAttempts");
        assertRefusal(TWO_PROVIDERS.replace("\"dialect\": \"anthropic\", \"baseUrl\": \"https://canary",
                "\"dialect\": \"gemini\", \"baseUrl\": \"https://canary"), "providers[1].dialect");
        assertRefusal(TWO_PROVIDERS.replace("\"baseUrl\": \"https://api.deepseek.com/v1\"", "\"baseUrl\": \"ftp://x\""), "providers[2].baseUrl");
        assertRefusal(TWO_PROVIDERS.replace("\"maxTokens\": 2048", "\"maxTokenz\": 2048"), "providers[0].maxTokenz");
        assertRefusal(TWO_PROVIDERS.replace("\"provider\": \"anthropic-canary\"", "\"provider\": \"nobody\""), "canary.provider");
        assertRefusal(TWO_PROVIDERS.replace("\"percent\": 20", "\"percent\": 120"), "canary.percent");
        assertRefusal(TWO_PROVIDERS.replace("\"defaultModel\": \"claude-sonnet-4-5\"", "\"defaultModel\": \"gpt-9\""), "defaultModel");
        assertRefusal(TWO_PROVIDERS.replace("\"env\": \"ANTHROPIC_KEY\"", "\"env\": \"NOT_SET_ANYWHERE\""), "providers[0].apiKey.env");
        assertRefusal(TWO_PROVIDERS.replace("{\"file\": \"KEYFILE\"}, \"models\": [{\"name\": \"claude",
                "{\"file\": \"/nonexistent/key\"}, \"models\": [{\"name\": \"claude"), "providers[1].apiKey.file");
        assertRefusal(TWO_PROVIDERS.replace("\"inputPerMillion\": 0.28, ", ""), "providers[2].models[0]");
        assertRefusal(TWO_PROVIDERS.replace("\"name\": \"deepseek\"", "\"name\": \"anthropic\""), "providers[2].name");
        assertRefusal("{\"providers\": []}", "providers");
        assertRefusal("{\"providers\": [ {\"name\": \"x\" ", "not valid JSON");
    }

    private void assertRefusal(String json, String field) {
        ConfigException e = refused(json);
        assertTrue(e.getMessage().contains(field), "'" + field + "' not named in: " + e.getMessage());
        assertTrue(e.getMessage().contains("CHATRELAY_PROVIDERS_FILE " + dir.resolve("providers.json")), "file not named in: " + e.getMessage());
    }

    @Test
    void the_annotated_example_in_jetty_config_is_a_valid_providers_file() throws Exception {
        ProvidersConfig c = loadExample();
        assertEquals(3, c.providers().size());
        assertEquals("claude-sonnet-4-5", c.defaultModel());
        assertEquals(20.0, c.canary().orElseThrow().percent());
    }

    @Test
    void thinking_is_turned_on_per_model_each_in_its_own_dialect() throws Exception {
        ProvidersConfig c = loadExample();
        ProviderModel claude = c.provider("anthropic").orElseThrow().models().get(1);
        assertEquals(new ModelReasoning(2048, null), claude.reasoning());
        assertEquals(15_000_000L, claude.price().orElseThrow().reasoningMicrosPerMillion());
        assertEquals(new ModelReasoning(0, "high"), c.provider("deepseek").orElseThrow().models().get(1).reasoning());
        assertEquals(ModelReasoning.NONE, c.provider("deepseek").orElseThrow().models().get(0).reasoning());
        assertEquals(java.util.Set.of("claude-sonnet-4-5-thinking", "deepseek-v3.2-thinking"), c.thinkingModels());

        String deepseek = "\"name\": \"deepseek-v3.2\", \"inputPerMillion\"";
        assertRefusal(TWO_PROVIDERS.replace(deepseek, "\"name\": \"deepseek-v3.2\", \"thinking\": {\"budgetTokens\": 2048}, \"inputPerMillion\""),
                "providers[2].models[0].thinking");
        String sonnet = "\"upstreamModel\": \"claude-sonnet-4-5-20250929\",\n";
        assertRefusal(TWO_PROVIDERS.replace(sonnet, sonnet + "\"reasoningEffort\": \"high\","), "providers[0].models[0].reasoningEffort");
        assertRefusal(TWO_PROVIDERS.replace(sonnet, sonnet + "\"thinking\": {\"budgetTokens\": 100},"), "providers[0].models[0].thinking.budgetTokens");
        assertRefusal(TWO_PROVIDERS.replace(sonnet, sonnet + "\"thinking\": {},"), "providers[0].models[0].thinking.budgetTokens");
        assertRefusal(TWO_PROVIDERS.replace(deepseek, "\"name\": \"deepseek-v3.2\", \"reasoningEffort\": \"HIGH!\", \"inputPerMillion\""),
                "providers[2].models[0].reasoningEffort");
        assertRefusal(TWO_PROVIDERS.replace("\"name\": \"claude-sonnet-4-5\"}", "\"name\": \"claude-sonnet-4-5\", \"reasoningPerMillion\": 1}"),
                "providers[1].models[0].reasoningPerMillion");
    }

    @Test
    void the_single_upstream_variables_are_a_one_provider_shorthand_with_a_dialect() {
        Settings s = Settings.of(Map.of("CHATRELAY_UPSTREAM_URL", "http://localhost:9/v1", "CHATRELAY_MODEL", "claude-x",
                "CHATRELAY_UPSTREAM_DIALECT", "anthropic", "CHATRELAY_RETRY_AFTER_CAP_MS", "3000"));
        ProvidersConfig c = ProvidersConfig.from(AppConfig.from(s), s::get);
        assertEquals(1, c.providers().size());
        ProviderConfig p = c.providers().get(0);
        assertEquals("localhost", p.name());
        assertEquals(Dialect.ANTHROPIC, p.dialect());
        assertEquals(Duration.ofSeconds(3), p.retry().retryAfterCap());
        assertEquals("claude-x", c.defaultModel());
        assertThrows(ConfigException.class, () -> AppConfig.from(Settings.of(Map.of("CHATRELAY_UPSTREAM_DIALECT", "gemini"))));
        ConfigException both = assertThrows(ConfigException.class, () -> AppConfig.from(Settings.of(Map.of(
                "CHATRELAY_UPSTREAM_URL", "http://x/v1", "CHATRELAY_MODEL", "m", "CHATRELAY_PROVIDERS_FILE", "/p.json"))));
        assertTrue(both.getMessage().contains("not both"));
    }
}
