package org.chatrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.ChatClient;
import org.chatrelay.testing.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TTFT the relay adds over the upstream's own: 20 single streams straight to the fake upstream and 20 through
 * the relay, alternating, measured the same way (request sent -> first content token read). Prints the medians;
 * asserts only what must hold on any machine (every stream answered; the relay cannot be faster than its upstream).
 * The full benchmark, with percentiles and nginx for comparison, is a separate issue.
 */
class RelayLatencyIT {
    static final int RUNS = 20;
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("latency").threads(50).settings(Map.of(
            // 140 chats in a row from one visitor: a measurement, not a visitor to rate-limit.
            "chatrelay.rate.limit.per.minute", "0", "chatrelay.rate.limit.per.address.per.minute", "0"));

    @Test
    void relay_adds_little_to_time_to_first_token() throws Exception {
        ChatClient visitor = new ChatClient(app.base()).open();
        String directBody = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        // Warm both paths (class loading, JIT, connection pools) before measuring.
        for (int i = 0; i < 50; i++) {
            firstTokenNanos(visitor, directRequest(app.upstream, directBody), "data: {\"id\":\"chatcmpl-fake\"", "\"content\":\"Hel\"");
            firstTokenNanos(visitor, visitor.post("api/chat", ChatClient.body(null, "hi")).build(), "event: token", "");
        }
        long[] direct = new long[RUNS];
        long[] relayed = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            direct[i] = firstTokenNanos(visitor, directRequest(app.upstream, directBody), "data: {\"id\":\"chatcmpl-fake\"", "\"content\":\"Hel\"");
            relayed[i] = firstTokenNanos(visitor, visitor.post("api/chat", ChatClient.body(null, "hi")).build(), "event: token", "");
        }
        double d = median(direct) / 1e6;
        double r = median(relayed) / 1e6;
        System.out.printf("[RelayLatencyIT] TTFT median of %d: upstream direct %.2f ms, through the relay %.2f ms, added %.2f ms%n",
                RUNS, d, r, r - d);
        assertTrue(r >= d * 0.9, "relayed TTFT below the upstream's own: the measurement is broken");
    }

    private static HttpRequest directRequest(FakeUpstream upstream, String body) {
        return HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Nanoseconds from sending the request to reading the first line that starts with {@code prefix} and contains {@code marker}. */
    private static long firstTokenNanos(ChatClient client, HttpRequest request, String prefix, String marker) throws Exception {
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> r = client.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            long at = -1;
            String line;
            while ((line = in.readLine()) != null) {
                if (at < 0 && line.startsWith(prefix) && line.contains(marker)) {
                    at = System.nanoTime() - start;
                }
            }
            assertTrue(at > 0, "no token in the stream");
            return at;
        }
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
