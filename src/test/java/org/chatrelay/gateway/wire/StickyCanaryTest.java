package org.chatrelay.gateway.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.chatrelay.config.CanaryConfig;
import org.chatrelay.config.Dialect;
import org.chatrelay.routing.CanarySplit;
import org.junit.jupiter.api.Test;

/** Issue 15 acceptance: with a 20 % canary, gateway traffic splits stickily per (key, end user), within a point over 10,000 users. */
class StickyCanaryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final CanarySplit split = new CanarySplit(new CanaryConfig("canary", 20, "gateway-test"));

    static GatewayRequest openAi(String user) throws Exception {
        return GatewayRequest.read(Dialect.OPENAI, JSON.readTree("{\"model\":\"m\",\"user\":\"" + user
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    static GatewayRequest anthropic(String user) throws Exception {
        return GatewayRequest.read(Dialect.ANTHROPIC, JSON.readTree("{\"model\":\"m\",\"max_tokens\":5,\"metadata\":{\"user_id\":\""
                + user + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    @Test
    void twenty_percent_of_ten_thousand_end_users_of_one_key_are_in_the_canary_within_a_point() throws Exception {
        int inCanary = 0;
        for (int i = 0; i < 10_000; i++) {
            inCanary += split.inCanary(openAi("user-" + i).stickyId("key-1")) ? 1 : 0;
        }
        assertTrue(Math.abs(inCanary - 2_000) <= 100, inCanary + " of 10,000");
    }

    @Test
    void an_end_user_keeps_the_arm_in_both_dialects_and_without_one_the_key_decides() throws Exception {
        for (int i = 0; i < 200; i++) {
            String u = "user-" + i;
            assertEquals(openAi(u).stickyId("k"), anthropic(u).stickyId("k"), "OpenAI's user and Anthropic's metadata.user_id");
            assertEquals(split.inCanary(openAi(u).stickyId("k")), split.inCanary(openAi(u).stickyId("k")));
        }
        assertEquals("k", GatewayRequest.read(Dialect.OPENAI, JSON.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}")).stickyId("k"));
        assertNotEquals(openAi("same").stickyId("key-a"), openAi("same").stickyId("key-b"), "one end user name under two keys is two users");
    }
}
