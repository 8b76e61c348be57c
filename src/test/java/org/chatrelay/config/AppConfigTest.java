package org.chatrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {
    @Test
    void no_upstream_means_the_demo_with_its_own_model() {
        AppConfig c = AppConfig.from(Settings.of(Map.of()));
        assertTrue(c.demo());
        assertEquals(AppConfig.DEMO_MODEL, c.model());
        assertEquals("jdbc:h2:file:./data/chatrelay", c.dbUrl());
    }

    @Test
    void an_upstream_needs_a_model_and_a_valid_url() {
        assertThrows(ConfigException.class, () -> AppConfig.from(Settings.of(Map.of("CHATRELAY_UPSTREAM_URL", "https://api.example.com/v1"))));
        ConfigException bad = assertThrows(ConfigException.class,
                () -> AppConfig.from(Settings.of(Map.of("CHATRELAY_UPSTREAM_URL", "ftp://x", "CHATRELAY_MODEL", "m"))));
        assertTrue(bad.getMessage().contains("CHATRELAY_UPSTREAM_URL"));
        AppConfig c = AppConfig.from(Settings.of(Map.of("CHATRELAY_UPSTREAM_URL", "https://api.example.com/v1/", "CHATRELAY_MODEL", "m")));
        assertFalse(c.demo());
        assertEquals("https://api.example.com/v1", c.upstreamUrl().orElseThrow().toString());
    }

    @Test
    void the_key_file_is_read_on_every_request_and_never_printed(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "sk-first\n");
        AppConfig c = AppConfig.from(Settings.of(Map.of("CHATRELAY_UPSTREAM_API_KEY_FILE", key.toString())));
        assertEquals("sk-first", c.apiKey().current().orElseThrow());
        Files.writeString(key, "sk-rotated");
        assertEquals("sk-rotated", c.apiKey().current().orElseThrow());
        assertFalse(c.apiKey().toString().contains("sk-"));
        assertFalse(ApiKeySource.inline("sk-secret").toString().contains("sk-secret"));
    }

    @Test
    void system_properties_override_the_environment() {
        Settings s = new Settings(Map.of("CHATRELAY_MODEL", "from-env")::get, Map.of("chatrelay.model", "from-prop")::get);
        assertEquals("from-prop", s.get("CHATRELAY_MODEL").orElseThrow());
    }

    @Test
    void numbers_must_be_positive_whole_numbers() {
        assertThrows(ConfigException.class, () -> AppConfig.from(Settings.of(Map.of("CHATRELAY_HEARTBEAT_MS", "soon"))));
        assertThrows(ConfigException.class, () -> AppConfig.from(Settings.of(Map.of("CHATRELAY_HEARTBEAT_MS", "0"))));
    }

    @Test
    void a_detached_answer_waits_30_s_unless_told_and_0_ends_it_at_once() {
        AppConfig d = AppConfig.from(Settings.of(Map.of()));
        assertEquals(30_000, d.detachedGrace().toMillis());
        assertEquals(1_000, d.checkpointEvery().toMillis());
        AppConfig off = AppConfig.from(Settings.of(Map.of("CHATRELAY_DETACHED_GRACE_MS", "0", "CHATRELAY_CHECKPOINT_MS", "250")));
        assertEquals(0, off.detachedGrace().toMillis());
        assertEquals(250, off.checkpointEvery().toMillis());
        assertThrows(ConfigException.class, () -> AppConfig.from(Settings.of(Map.of("CHATRELAY_DETACHED_GRACE_MS", "-1"))));
        assertThrows(ConfigException.class, () -> AppConfig.from(Settings.of(Map.of("CHATRELAY_CHECKPOINT_MS", "0"))));
    }
}
