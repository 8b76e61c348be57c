package org.chatrelay.admin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.persistence.EndReason;
import org.junit.jupiter.api.Test;

/** docs/security-checklist.md S8 at the unit level: malformed filters are refused before any SQL exists. */
class ReportFilterTest {
    static final LocalDate TODAY = LocalDate.parse("2025-03-10");
    static final List<String> END_REASONS = Arrays.stream(EndReason.values()).map(EndReason::code).toList();

    static ReportFilter parse(String... pairs) {
        Map<String, String[]> params = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put(pairs[i], new String[] {pairs[i + 1]});
        }
        return ReportFilter.parse(params, TODAY, END_REASONS);
    }

    @Test
    void the_default_range_is_the_last_seven_days_including_today() {
        ReportFilter f = parse();
        assertEquals(LocalDate.parse("2025-03-04"), f.from());
        assertEquals(TODAY, f.to());
        assertEquals(7, f.days());
    }

    @Test
    void injected_or_impossible_dates_are_refused_without_echoing_them() {
        for (String bad : List.of("2024-01-01' OR '1'='1", "2024-02-30", "yesterday", "2024-1-1", "20240101")) {
            BadFilterException e = assertThrows(BadFilterException.class, () -> parse("from", bad), bad);
            assertFalse(e.getMessage().contains("'1'"), e.getMessage());
        }
        assertThrows(BadFilterException.class, () -> parse("from", "2025-03-10", "to", "2025-03-01"));
        assertThrows(BadFilterException.class, () -> parse("from", "2023-01-01", "to", "2025-03-01"));
    }

    @Test
    void names_allow_model_ids_but_not_sql_and_end_reasons_come_from_the_list() {
        assertEquals(Optional.of("meta-llama/Llama-3.1-70B:free"), parse("model", "meta-llama/Llama-3.1-70B:free").model());
        assertThrows(BadFilterException.class, () -> parse("model", "x'; DROP TABLE answer_usage;--"));
        assertThrows(BadFilterException.class, () -> parse("provider", "a\"b"));
        assertThrows(BadFilterException.class, () -> parse("end_reason", "completed OR 1=1"));
        assertEquals(Optional.of("timeout"), parse("end_reason", "timeout").endReason());
    }

    @Test
    void conditions_are_fixed_text_with_bound_values() {
        ReportFilter f = parse("model", "m1", "arm", "canary");
        StringBuilder sql = new StringBuilder("WHERE x");
        List<String> values = f.conditions(sql, "model", "provider", "arm", "end_reason", "key_id");
        assertEquals("WHERE x AND model = ? AND arm = ?", sql.toString());
        assertEquals(List.of("m1", "canary"), values);
        assertTrue(f.query().contains("arm=canary"));
    }

    @Test
    void key_and_source_are_conditions_on_the_key_column_and_a_source_is_chat_or_gateway() {
        ReportFilter f = parse("key", "0f8e2a4c-0000-4000-8000-000000000001", "source", "gateway");
        StringBuilder sql = new StringBuilder("WHERE x");
        List<String> values = f.conditions(sql, "model", "provider", "arm", "end_reason", "key_id");
        assertEquals("WHERE x AND key_id = ? AND key_id <> ''", sql.toString());
        assertEquals(List.of("0f8e2a4c-0000-4000-8000-000000000001"), values);
        StringBuilder chat = new StringBuilder("WHERE x");
        parse("source", "chat").conditions(chat, "m", "p", "a", "e", "COALESCE(key_id, '')");
        assertEquals("WHERE x AND COALESCE(key_id, '') = ''", chat.toString());
        assertTrue(f.query().endsWith("&key=0f8e2a4c-0000-4000-8000-000000000001&source=gateway"));
        assertThrows(BadFilterException.class, () -> parse("source", "elsewhere"));
    }
}
