package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {

    static CorsPolicy of(String list) {
        return CorsPolicy.from(Settings.of(Map.of(CorsPolicy.SETTING, list)));
    }

    @Test
    void nothing_is_allowed_by_default() {
        CorsPolicy none = CorsPolicy.from(Settings.of(Map.of()));
        assertTrue(none.origins().isEmpty());
        assertFalse(none.allows("https://app.example.com"));
        assertFalse(none.allows(null));
    }

    @Test
    void listed_origins_match_in_canonical_form_and_nothing_else_does() {
        CorsPolicy p = of(" https://App.Example.com , http://localhost:5173");
        assertEquals(Set.of("https://app.example.com:443", "http://localhost:5173"), p.origins());
        assertTrue(p.allows("https://app.example.com"));
        assertTrue(p.allows("https://app.example.com:443"));
        assertTrue(p.allows("http://localhost:5173"));
        assertFalse(p.allows("http://app.example.com"), "another scheme is another origin");
        assertFalse(p.allows("https://app.example.com:8443"), "another port is another origin");
        assertFalse(p.allows("https://evil.app.example.com"));
        assertFalse(p.allows("https://app.example.com.evil.example"));
        assertFalse(p.allows("null"));
        assertFalse(p.allows("not a uri"));
    }

    @Test
    void a_wildcard_null_a_path_or_a_bare_host_stops_start_up_naming_the_setting() {
        for (String bad : new String[] {"*", "null", "https://app.example.com/path", "app.example.com", "ftp://x.example", "https://a.example?x=1"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> of(bad), bad);
            assertTrue(e.getMessage().startsWith(CorsPolicy.SETTING), e.getMessage());
        }
    }
}
