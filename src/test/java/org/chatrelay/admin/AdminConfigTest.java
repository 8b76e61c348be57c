package org.chatrelay.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.chatrelay.admin.auth.PasswordHash;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.junit.jupiter.api.Test;

class AdminConfigTest {
    @Test
    void no_user_means_no_first_admin() {
        AdminConfig c = AdminConfig.from(Settings.of(Map.of()));
        assertTrue(c.user().isEmpty() && c.passwordHash().isEmpty());
    }

    @Test
    void a_password_is_hashed_at_start_up_and_a_ready_hash_is_taken_as_is() {
        AdminConfig c = AdminConfig.from(Settings.of(Map.of("CHATRELAY_ADMIN_USER", "ops", "CHATRELAY_ADMIN_PASSWORD", "long-enough-1")));
        assertTrue(c.passwordHash().orElseThrow().matches("long-enough-1".toCharArray()));
        String ready = PasswordHash.create("another-one-2".toCharArray()).encoded();
        AdminConfig h = AdminConfig.from(Settings.of(Map.of("CHATRELAY_ADMIN_USER", "ops", "CHATRELAY_ADMIN_PASSWORD_HASH", ready)));
        assertTrue(h.passwordHash().orElseThrow().matches("another-one-2".toCharArray()));
    }

    @Test
    void weak_or_ambiguous_settings_stop_the_start_without_echoing_secrets() {
        assertThrows(ConfigException.class, () -> AdminConfig.from(Settings.of(Map.of("CHATRELAY_ADMIN_PASSWORD", "long-enough-1"))));
        assertThrows(ConfigException.class, () -> AdminConfig.from(Settings.of(Map.of("CHATRELAY_ADMIN_USER", "ops"))));
        assertThrows(ConfigException.class, () -> AdminConfig.from(Settings.of(Map.of("CHATRELAY_ADMIN_USER", "ops",
                "CHATRELAY_ADMIN_PASSWORD", "short"))));
        assertThrows(ConfigException.class, () -> AdminConfig.from(Settings.of(Map.of("CHATRELAY_ADMIN_USER", "o p s",
                "CHATRELAY_ADMIN_PASSWORD", "long-enough-1"))));
        ConfigException md5 = assertThrows(ConfigException.class, () -> AdminConfig.from(Settings.of(Map.of(
                "CHATRELAY_ADMIN_USER", "ops", "CHATRELAY_ADMIN_PASSWORD_HASH", "MD5:5f4dcc3b5aa765d61d8327deb882cf99"))));
        assertFalse(md5.getMessage().contains("5f4dcc3b"), md5.getMessage());
    }
}
