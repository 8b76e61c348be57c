package org.chatrelay.gateway.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.chatrelay.config.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A call's output cap, which its budget reservation is computed from, must be what the provider is sent. */
class GatewayRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String openAi(String member, String value) {
        return "{\"model\":\"m\",\"" + member + "\":" + value + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    /**
     * Review finding 7: a cap that is no positive int (a string a lenient server would coerce, one beyond an int, zero,
     * a negative or a fraction) was copied upstream while the reservation ignored it. Refused with 400 naming the
     * member, in the passed-through reading as in the translated one, as the Anthropic dialect already did.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\"100000\"", "3000000000", "0", "-5", "1.5", "true"})
    void an_openai_cap_that_is_not_a_positive_int_is_refused(String value) {
        for (String member : new String[] {"max_tokens", "max_completion_tokens"}) {
            for (boolean passed : new boolean[] {false, true}) {
                GatewayRequest.BadRequest e = assertThrows(GatewayRequest.BadRequest.class, () -> {
                    var body = JSON.readTree(openAi(member, value));
                    if (passed) {
                        GatewayRequest.readToPass(Dialect.OPENAI, body);
                    } else {
                        GatewayRequest.read(Dialect.OPENAI, body);
                    }
                }, member + " " + value);
                assertEquals(member, e.error().param(), e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"100\"", "3000000000", "0", "1.5"})
    void an_anthropic_max_tokens_that_is_not_a_positive_int_is_refused(String value) {
        assertThrows(GatewayRequest.BadRequest.class, () -> GatewayRequest.read(Dialect.ANTHROPIC, JSON.readTree(
                "{\"model\":\"m\",\"max_tokens\":" + value + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_tokens", "max_completion_tokens"})
    void a_positive_int_cap_is_kept_for_both_dialects(String member) throws Exception {
        GatewayRequest r = GatewayRequest.read(Dialect.OPENAI, JSON.readTree(openAi(member, "256")));
        assertEquals(256, r.fields().get(Dialect.OPENAI).get(member).asInt());
        assertEquals(256, r.fields().get(Dialect.ANTHROPIC).get("max_tokens").asInt());
    }
}
