package org.chatrelay.security;

import static org.chatrelay.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.junit.jupiter.api.Test;

/**
 * A client that is not a configured proxy (CHATRELAY_TRUSTED_PROXIES) cannot choose its address with X-Forwarded-For
 * or RFC 7239 Forwarded: fresh cookies and a made-up address per request still meet the per-address limit. The app
 * runs behind Jetty's forwarded customizer as jetty-config sets it up (scheme, host and port only).
 * Through the shipped nginx: deploy/NginxSpoofIT.
 */
class ForwardedHeadersIT {
    @Test
    void a_client_that_is_no_trusted_proxy_cannot_dodge_the_per_address_limit_with_forwarded_headers() throws Exception {
        Map<String, String> settings = new HashMap<>(LimitsAndBudgetsIT.only("chatrelay.rate.limit.per.address.per.minute", "3"));
        settings.put("chatrelay.trusted.proxies", "none");
        try (AppUnderTest app = AppUnderTest.behindProxy("untrusted-peer-it", settings)) {
            for (int i = 0; i < 3; i++) {
                ChatClient fresh = app.visitor();
                assertEquals(200, fresh.send(spoofed(fresh).build()).statusCode());
            }
            ChatClient fourth = app.visitor();
            assertRefused(app, fourth, spoofed(fourth), 429, "rate_limited");
        }
    }

    static java.net.http.HttpRequest.Builder spoofed(ChatClient client) {
        String address = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
        return client.post("api/chat", ChatClient.body(null, "hi")).header("X-Forwarded-For", address)
                .header("Forwarded", "for=" + "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255));
    }
}
