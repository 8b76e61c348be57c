package org.chatrelay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.HttpCookie;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The load generator's HTTP side: one non-blocking Jetty {@link HttpClient} (one selector, a small pool) opens every
 * stream of every scenario, one HTTP/1.1 connection per live stream, and hands the bytes to a {@link StreamProbe}.
 */
final class LoadClient implements AutoCloseable {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;

    LoadClient() throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("load");
        pool.setDaemon(true);
        http.setExecutor(pool);
        http.setConnectTimeout(10_000);
        http.setIdleTimeout(40_000);
        http.setMaxConnectionsPerDestination(20_000);
        http.setMaxRequestsQueuedPerDestination(20_000);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setUserAgentField(null);
        http.getContentDecoderFactories().clear();
        http.start();
    }

    /** Sends one stream request now; the probe's future completes when the stream ends. */
    StreamProbe open(Target target, Shape shape, Histogram gaps, Runnable onFirst) {
        Request request = http.newRequest(target.uri())
                .method(HttpMethod.POST)
                .idleTimeout(Math.max(30_000, 3L * shape.paceMs() + 30_000), TimeUnit.MILLISECONDS)
                .headers(h -> target.headers().forEach(h::put))
                .body(new StringRequestContent("application/json", target.body(shape), StandardCharsets.UTF_8));
        StreamProbe probe = new StreamProbe(shape, gaps, System.nanoTime(), onFirst);
        probe.sent(request);
        // Method references, not the probe itself: Jetty registers a listener object for every listener interface it implements.
        request.onResponseHeaders(probe::onHeaders).onResponseContent(probe::onContent).send(probe::onComplete);
        return probe;
    }

    /** A visitor of the relay at {@code base}, as a browser becomes one: the page sets the cookie and carries the token. */
    Map.Entry<String, String> visitor(URI base) throws Exception {
        ContentResponse page = http.newRequest(base).method(HttpMethod.GET).timeout(30, TimeUnit.SECONDS).send();
        String cookie = page.getHeaders().getValuesList(HttpHeader.SET_COOKIE).stream()
                .flatMap(h -> HttpCookie.parse(h).stream())
                .filter(c -> c.getName().equals("cr_visitor")).map(HttpCookie::getValue).findFirst()
                .orElseThrow(() -> new IllegalStateException("no visitor cookie from " + base + ": HTTP " + page.getStatus()));
        Matcher m = CSRF.matcher(page.getContentAsString());
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token in the page of " + base);
        }
        return Map.entry(cookie, m.group(1));
    }

    /** A new virtual key of the relay at {@code base}, made through its master-key admin API, with no limits or budget. */
    String gatewayKey(URI base, String masterKey) throws Exception {
        ContentResponse created = http.newRequest(base.resolve("/admin/api/keys")).method(HttpMethod.POST).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + masterKey))
                .body(new StringRequestContent("application/json", "{\"name\":\"bench\"}", StandardCharsets.UTF_8)).send();
        if (created.getStatus() != 201) {
            throw new IllegalStateException("no gateway key from " + base + ": HTTP " + created.getStatus() + " " + created.getContentAsString());
        }
        return JSON.readTree(created.getContentAsString()).get("key").asText();
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
