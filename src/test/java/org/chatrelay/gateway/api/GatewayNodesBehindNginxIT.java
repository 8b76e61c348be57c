package org.chatrelay.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.chatrelay.testing.BehindNginx;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.ProvidersFiles;
import org.chatrelay.testing.Rows;
import org.chatrelay.tokens.TokenEstimator;
import org.chatrelay.upstream.ChatMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's tests across nodes, on the real deployment: two standalone nodes on one embedded PostgreSQL behind nginx
 * (round robin), gateway clients calling through nginx. A key revoked through the admin API on one node is refused by
 * the other within 5 s; calls spread over both nodes cannot spend past a key's budget by more than the one
 * reservation the design allows, against a provider that bills every output token it may (the {@code spend}
 * scenario) at its own price, whose reasoning is dearer than its output, with and without the client's max_tokens,
 * streamed (passed through) and not (translated).
 */
class GatewayNodesBehindNginxIT {
    static final String MASTER = "master-key-of-the-two-node-gateway-test";
    /** The providers file's price for the model, which the built-in table does not know: $1 in, $2 out, $20 reasoning. */
    static final long INPUT = 1, OUTPUT = 2, REASONING = 20;
    static final int MAX_TOKENS = 1_000;
    static final int CLIENT_MAX_TOKENS = 600;
    static final String QUESTION = "Spend what you may on this question about budgets, nodes and proxies [spend]";
    static FakeUpstream upstream;
    static BehindNginx front;
    static Rows rows;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeUpstream();
        String providers = ProvidersFiles.write(ProvidersFiles.dir("gateway-nginx"), "providers.json", """
                {'defaultModel': 'metered',
                 'providers': [
                  {'name': 'oai', 'baseUrl': '%s', 'maxTokens': %d,
                   'models': [{'name': 'metered', 'inputPerMillion': %d, 'outputPerMillion': %d, 'reasoningPerMillion': %d}]}]}
                """.formatted(upstream.baseUrl(), MAX_TOKENS, INPUT, OUTPUT, REASONING)).toString();
        front = BehindNginx.onPostgres("gateway_nginx", List.of("gateway-nginx-1", "gateway-nginx-2"), Map.of(
                "CHATRELAY_PROVIDERS_FILE", providers, "CHATRELAY_GATEWAY_MASTER_KEY", MASTER), upstream);
        rows = front.rows;
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) {
            front.close();
        }
    }

    @Test
    void a_key_revoked_through_the_admin_api_on_one_node_is_refused_on_the_other_within_5_s() throws Exception {
        URI a = front.nodes.get(0).base();
        URI b = front.nodes.get(1).base();
        // No limits: the call path then reads only the key cache, not the key's row (the slowest way a revoke can hold).
        JsonNode created = GatewayClients.createKey(a, MASTER, "{\"name\":\"revoked on a\"}");
        String key = created.get("key").asText();
        assertEquals(200, call(b, key, false, false).statusCode(), "node b knows the key (and caches it)");

        HttpResponse<String> revoke = http.send(HttpRequest.newBuilder(a.resolve("admin/api/keys/" + created.get("id").asText()))
                .header("Authorization", "Bearer " + MASTER).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        long revokedAt = System.nanoTime();
        assertEquals(204, revoke.statusCode(), revoke.body());

        HttpResponse<String> r;
        int acceptedAfterRevoke = 0;
        while ((r = call(b, key, false, false)).statusCode() == 200) {
            acceptedAfterRevoke++;
            Thread.sleep(50);
        }
        long ms = (System.nanoTime() - revokedAt) / 1_000_000;
        System.out.printf("[GatewayNodesBehindNginxIT] revoked on node a -> 401 on node b after %d ms (%d calls accepted meanwhile)%n",
                ms, acceptedAfterRevoke);
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"invalid_api_key\""), r.body());
        assertTrue(ms < 5_000, "the revoke took " + ms + " ms to hold on node b");
        assertEquals(401, call(front.base(), key, true, false).statusCode(), "through nginx, streaming");
        assertEquals(401, call(front.base(), key, false, false).statusCode(), "through nginx, not streaming");
    }

    @Test
    void calls_spread_over_both_nodes_spend_at_most_one_reservation_past_the_budget() throws Exception {
        long budget = 500_000; // $0.50: about 25 of the dearest calls
        String key = GatewayClients.createKey(front.base(), MASTER, "{\"name\":\"budgeted\",\"dailyBudgetUsd\":0.5}").get("key").asText();
        int sentBefore = upstream.requests.size();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            boolean stream = i % 2 == 0;
            boolean capped = i % 4 < 2;
            threads.add(pool.submit(() -> {
                go.await();
                // Each thread calls until the budget refuses it.
                for (HttpResponse<String> r = call(front.base(), key, stream, capped); r.statusCode() != 429;
                     r = call(front.base(), key, stream, capped)) {
                    assertEquals(200, r.statusCode(), r.body());
                    answered.incrementAndGet();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> t : threads) {
            t.get(180, TimeUnit.SECONDS);
        }
        pool.shutdown();
        HttpResponse<String> after = call(front.base(), key, false, false);
        assertEquals(429, after.statusCode(), "with nothing in flight the budget is spent: " + after.body());
        assertTrue(after.body().contains("\"insufficient_quota\""), after.body());

        String keyId = rows.one("SELECT id FROM gateway_key WHERE name = 'budgeted'").get("id").toString();
        List<Map<String, Object>> usage = rows.query("SELECT node_id, cost_micros, completion_tokens FROM answer_usage WHERE key_id = ?", keyId);
        long spent = usage.stream().mapToLong(u -> ((Number) u.get("cost_micros")).longValue()).sum();
        // The most one call reserves: its prompt at the input price, the provider's cap at the reasoning price.
        int prompt = new TokenEstimator().countPrompt(List.of(new ChatMessage("user", QUESTION)));
        long reservation = prompt * INPUT + MAX_TOKENS * REASONING;
        Set<Object> nodes = usage.stream().map(u -> u.get("node_id")).collect(Collectors.toSet());
        List<JsonNode> sent = upstream.requests.subList(sentBefore, upstream.requests.size());
        System.out.printf("[GatewayNodesBehindNginxIT] daily budget $0.50, 16 threads through nginx on %s: %d calls answered,"
                + " spent $%.6f (bound: budget + one reservation of $%.6f)%n", nodes, answered.get(), spent / 1e6, reservation / 1e6);
        assertEquals(answered.get(), usage.size(), "a usage row per answered call");
        assertEquals(Set.of("gateway-nginx-1", "gateway-nginx-2"), nodes, "the calls were spread over both nodes");
        assertTrue(spent >= budget, "the budget was reached: " + spent);
        assertTrue(spent < budget + reservation, "spent " + spent + " past a budget of " + budget + " by one reservation " + reservation);
        // The provider billed what it was allowed: a client's max_tokens, else the cap the gateway sent in its place.
        assertTrue(sent.stream().allMatch(b -> b.path("max_tokens").asInt() == MAX_TOKENS || b.path("max_tokens").asInt() == CLIENT_MAX_TOKENS),
                "every request carried a cap: " + sent);
        assertTrue(usage.stream().allMatch(u -> Set.of(MAX_TOKENS, CLIENT_MAX_TOKENS).contains(((Number) u.get("completion_tokens")).intValue())),
                "every answer billed its whole cap");
    }

    @Test
    void a_key_without_a_budget_sends_a_call_without_max_tokens_as_it_came() throws Exception {
        String key = GatewayClients.createKey(front.base(), MASTER, "{\"name\":\"no budget\",\"rpm\":100}").get("key").asText();
        int before = upstream.requests.size();

        assertEquals(200, call(front.base(), key, true, false).statusCode());

        JsonNode sent = upstream.requests.get(before);
        assertTrue(sent.path("max_tokens").isMissingNode() && sent.path("max_completion_tokens").isMissingNode(), sent.toString());
    }

    /** One OpenAI-shaped call of the question, streaming or not, with the client's max_tokens or without. */
    HttpResponse<String> call(URI base, String key, boolean stream, boolean capped) throws Exception {
        String body = "{\"model\":\"metered\",\"stream\":" + stream + (capped ? ",\"max_tokens\":" + CLIENT_MAX_TOKENS : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
        return http.send(HttpRequest.newBuilder(base.resolve("v1/chat/completions")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
