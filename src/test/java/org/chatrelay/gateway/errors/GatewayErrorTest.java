package org.chatrelay.gateway.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.chatrelay.config.Dialect;
import org.junit.jupiter.api.Test;

class GatewayErrorTest {

    @Test
    void openai_body_has_message_type_param_and_code_with_nulls_as_openai_sends_them() {
        GatewayError e = GatewayError.of(ErrorKind.AUTHENTICATION, "Invalid API key.");
        assertEquals("{\"error\":{\"message\":\"Invalid API key.\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}",
                e.body(Dialect.OPENAI).toString());
        assertEquals(401, e.status(Dialect.OPENAI));
    }

    @Test
    void anthropic_body_is_a_typed_error_event() {
        GatewayError e = GatewayError.of(ErrorKind.AUTHENTICATION, "Invalid API key.");
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid API key.\"}}",
                e.body(Dialect.ANTHROPIC).toString());
        assertEquals(401, e.status(Dialect.ANTHROPIC));
    }

    @Test
    void a_bad_request_names_the_member_at_fault_in_openai_param() {
        GatewayError e = GatewayError.invalid("tools", "tools cannot be translated to an Anthropic provider.");
        assertEquals("{\"error\":{\"message\":\"tools cannot be translated to an Anthropic provider.\",\"type\":\"invalid_request_error\","
                + "\"param\":\"tools\",\"code\":null}}", e.body(Dialect.OPENAI).toString());
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"tools cannot be translated to an Anthropic provider.\"}}",
                e.body(Dialect.ANTHROPIC).toString());
        assertEquals(400, e.status(Dialect.ANTHROPIC));
    }

    @Test
    void each_kind_has_the_status_type_and_code_the_sdks_and_applications_expect() {
        String[][] table = {
                // kind, OpenAI status, OpenAI type, OpenAI code, Anthropic status, Anthropic type
                {"INVALID_REQUEST", "400", "invalid_request_error", null, "400", "invalid_request_error"},
                {"AUTHENTICATION", "401", "invalid_request_error", "invalid_api_key", "401", "authentication_error"},
                {"PERMISSION", "403", "permission_error", "model_not_allowed", "403", "permission_error"},
                {"NOT_FOUND", "404", "invalid_request_error", "not_found", "404", "not_found_error"},
                {"RATE_LIMITED", "429", "requests", "rate_limit_exceeded", "429", "rate_limit_error"},
                {"QUOTA_EXCEEDED", "429", "insufficient_quota", "insufficient_quota", "429", "rate_limit_error"},
                {"SERVER_ERROR", "500", "server_error", null, "500", "api_error"},
                {"OVERLOADED", "503", "server_error", "overloaded", "529", "overloaded_error"},
        };
        assertEquals(ErrorKind.values().length, table.length, "every kind is in the table");
        for (String[] row : table) {
            GatewayError e = GatewayError.of(ErrorKind.valueOf(row[0]), "m");
            assertEquals(Integer.parseInt(row[1]), e.status(Dialect.OPENAI), row[0]);
            assertEquals(row[2], e.body(Dialect.OPENAI).get("error").get("type").asText(), row[0]);
            assertEquals(row[3], e.body(Dialect.OPENAI).get("error").get("code").textValue(), row[0]);
            assertEquals(Integer.parseInt(row[4]), e.status(Dialect.ANTHROPIC), row[0]);
            assertEquals(row[5], e.body(Dialect.ANTHROPIC).get("error").get("type").asText(), row[0]);
        }
    }

    @Test
    void a_refusal_carries_its_kind_and_a_retry_after_of_at_least_one_second() {
        Refusal r = new Refusal(Refusal.Reason.DAILY_BUDGET_SPENT, "This key's daily budget of $5 is spent.", OptionalLong.of(0));
        assertEquals(ErrorKind.QUOTA_EXCEEDED, r.error().kind());
        assertEquals(OptionalLong.of(1), r.error().retryAfterSeconds());
        assertEquals("{\"error\":{\"message\":\"This key's daily budget of $5 is spent.\",\"type\":\"insufficient_quota\",\"param\":null,"
                + "\"code\":\"insufficient_quota\"}}", r.error().body(Dialect.OPENAI).toString());
        assertEquals(OptionalLong.empty(), new Refusal(Refusal.Reason.UNKNOWN_KEY, "Invalid API key.").error().retryAfterSeconds());
    }
}
