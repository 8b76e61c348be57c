package org.chatrelay.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeySpecTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    static KeySpec json(String body) throws Exception {
        return KeySpec.fromJson(JSON.readTree(body), NOW);
    }

    static String field(String body) {
        return assertThrows(BadKeySpecException.class, () -> json(body)).field();
    }

    @Test
    void the_issue_contract_reads_every_field() throws Exception {
        KeySpec s = json("{\"name\":\"billing\",\"models\":[\"gpt-4o\",\"claude-sonnet-4\"],\"rpm\":60,\"maxStreams\":4,"
                + "\"dailyBudgetUsd\":5.5,\"monthlyBudgetUsd\":100,\"expiresAt\":\"2031-01-01T00:00:00Z\",\"storeContent\":true}");
        assertEquals(new KeySpec("billing", null, List.of("gpt-4o", "claude-sonnet-4"), 60, 4, 5_500_000L, 100_000_000L,
                Instant.parse("2031-01-01T00:00:00Z"), true), s);
    }

    @Test
    void only_a_name_is_required_and_content_is_not_stored_by_default() throws Exception {
        KeySpec s = json("{\"name\":\" ci \"}");
        assertEquals("ci", s.name());
        assertTrue(s.models().isEmpty());
        assertNull(s.rpm());
        assertNull(s.dailyBudgetMicros());
        assertFalse(s.storeContent());
    }

    @Test
    void wrong_values_name_their_field() {
        assertEquals("name", field("{}"));
        assertEquals("name", field("{\"name\":\"   \"}"));
        assertEquals("name", field("{\"name\":\"a\\nb\"}"));
        assertEquals("rpm", field("{\"name\":\"x\",\"rpm\":0}"));
        assertEquals("rpm", field("{\"name\":\"x\",\"rpm\":1.5}"));
        assertEquals("rpm", field("{\"name\":\"x\",\"rpm\":\"60\"}"));
        assertEquals("maxStreams", field("{\"name\":\"x\",\"maxStreams\":-1}"));
        assertEquals("dailyBudgetUsd", field("{\"name\":\"x\",\"dailyBudgetUsd\":0}"));
        assertEquals("monthlyBudgetUsd", field("{\"name\":\"x\",\"monthlyBudgetUsd\":1e9}"));
        assertEquals("expiresAt", field("{\"name\":\"x\",\"expiresAt\":\"tomorrow\"}"));
        assertEquals("expiresAt", field("{\"name\":\"x\",\"expiresAt\":\"2029-12-31T23:59:59Z\"}"));
        assertEquals("models", field("{\"name\":\"x\",\"models\":\"gpt-4o\"}"));
        assertEquals("models", field("{\"name\":\"x\",\"models\":[\"a b\"]}"));
        assertEquals("storeContent", field("{\"name\":\"x\",\"storeContent\":\"yes\"}"));
        assertEquals("secret", field("{\"name\":\"x\",\"secret\":\"mine\"}"));
    }

    @Test
    void a_budget_is_kept_in_micro_dollars_without_float_error() throws Exception {
        assertEquals(100_000L, json("{\"name\":\"x\",\"dailyBudgetUsd\":0.1}").dailyBudgetMicros());
        assertEquals(1L, json("{\"name\":\"x\",\"dailyBudgetUsd\":0.0000007}").dailyBudgetMicros());
    }

    @Test
    void the_admin_form_reads_the_same_fields_with_empty_meaning_unset() {
        KeySpec s = KeySpec.fromForm(Map.of("name", new String[] {"docs bot"}, "owner", new String[] {"team-docs"},
                "models", new String[] {"gpt-4o, claude-sonnet-4  gpt-4o"}, "rpm", new String[] {""}, "maxStreams", new String[] {"2"},
                "dailyBudgetUsd", new String[] {"1.25"}, "expiresAt", new String[] {"2031-06-01T12:30"},
                "storeContent", new String[] {"on"}), NOW);
        assertEquals(new KeySpec("docs bot", "team-docs", List.of("gpt-4o", "claude-sonnet-4"), null, 2, 1_250_000L, null,
                Instant.parse("2031-06-01T12:30:00Z"), true), s);
        assertEquals("rpm", assertThrows(BadKeySpecException.class,
                () -> KeySpec.fromForm(Map.of("name", new String[] {"x"}, "rpm", new String[] {"many"}), NOW)).field());
    }
}
