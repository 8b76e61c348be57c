package org.chatrelay.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chatrelay.config.CanaryConfig;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.SseStream;
import org.junit.jupiter.api.Test;

/**
 * Two providers, a canary at 20 %: usage records show the split by visitor, each visitor's arm is the one the hash
 * of (salt, visitor id) gives, and it stays the same after the server restarts.
 */
class CanaryIT {

    @Test
    void visitors_keep_their_arm_across_a_restart_and_every_usage_record_stores_it() throws Exception {
        // Up to 100 visitors, all from 127.0.0.1: the per-address limit would stop them.
        try (AppUnderTest app = AppUnderTest.named("canary-it").providers(2, upstreams -> """
                    {'defaultModel': 'chat',
                     'canary': {'provider': 'canary', 'percent': 20, 'salt': 'canary-it'},
                     'providers': [
                      {'name': 'main', 'baseUrl': '%s', 'models': [{'name': 'chat'}]},
                      {'name': 'canary', 'baseUrl': '%s', 'models': [{'name': 'chat'}]}]}
                    """.formatted(upstreams.get(0).baseUrl(), upstreams.get(1).baseUrl()))
                .settings(Map.of("chatrelay.rate.limit.per.address.per.minute", "0")).start()) {
            FakeUpstream main = app.upstreams.get(0);
            FakeUpstream canary = app.upstreams.get(1);
            Rows rows = app.rows;
            CanarySplit split = new CanarySplit(new CanaryConfig("canary", 20, "canary-it"));
            List<ChatClient> visitors = new ArrayList<>();
            Map<String, String> armBefore = new LinkedHashMap<>();
            int inCanary = 0;
            // Enough visitors that both arms have several (visitor ids are random, so the count varies).
            while (visitors.size() < 100 && (inCanary < 3 || visitors.size() - inCanary < 3)) {
                ChatClient v = new ChatClient(app.base()).open();
                SseStream s = v.chat(null, "hello");
                String arm = split.inCanary(v.visitorId()) ? "canary" : "main";
                assertEquals(arm, s.first("start").data().get("provider").asText(), "the answer came from the visitor's arm");
                inCanary += arm.equals("canary") ? 1 : 0;
                visitors.add(v);
                armBefore.put(v.visitorId(), arm);
            }
            app.stopServer();
            List<Map<String, Object>> usage = rows.query("SELECT visitor_id, arm, provider FROM answer_usage");
            for (Map<String, Object> u : usage) {
                assertEquals(armBefore.get((String) u.get("visitor_id")), u.get("arm"));
                assertEquals(u.get("arm"), u.get("provider"));
            }
            app.restart();
            for (ChatClient before : visitors) {
                ChatClient v = before.at(app.base()).open();
                SseStream s = v.chat(null, "hello again");
                assertEquals(armBefore.get(v.visitorId()), s.first("start").data().get("provider").asText(),
                        "visitor " + v.visitorId() + " changed arm after the restart");
            }
            app.stopServer();
            List<Map<String, Object>> split2 = rows.query("SELECT arm, COUNT(DISTINCT visitor_id) AS visitors, COUNT(*) AS answers"
                    + " FROM answer_usage GROUP BY arm ORDER BY arm");
            System.out.println("[CanaryIT] usage records by arm (before and after a restart): " + split2);
            long sticky = rows.query("SELECT visitor_id FROM answer_usage GROUP BY visitor_id HAVING COUNT(DISTINCT arm) = 1").size();
            assertEquals(visitors.size(), sticky, "every visitor has one arm in all of its usage records");
            assertTrue(main.requests.size() > 0 && canary.requests.size() > 0);
        }
    }
}
