package org.chatrelay.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The built WAR on embedded Jetty with a fake upstream and a fresh H2 database, configured by the test: what the
 * security tests share. {@link #stored()} and {@link #sentUpstream()} let a test prove a refused request left no trace.
 */
public final class AppUnderTest implements AutoCloseable {
    public final FakeUpstream upstream;
    public final EmbeddedServer server;
    public final Rows rows;
    public final String dbUrl;

    private AppUnderTest(String name, Map<String, String> settings, boolean behindProxy) throws Exception {
        upstream = new FakeUpstream();
        dbUrl = TestApp.freshH2(name);
        rows = new Rows(dbUrl, settings.getOrDefault("chatrelay.db.password", ""));
        Map<String, String> all = new HashMap<>(Map.of(
                "chatrelay.upstream.url", upstream.baseUrl(),
                "chatrelay.model", "deepseek-v3.2",
                "chatrelay.db.url", dbUrl));
        all.putAll(settings);
        TestApp.configure(all);
        try {
            server = new EmbeddedServer(TestApp.warFile(), 32, behindProxy);
        } catch (Exception e) {
            upstream.close();
            throw e;
        }
    }

    public static AppUnderTest start(String name, Map<String, String> settings) throws Exception {
        return new AppUnderTest(name, settings, false);
    }

    /** Behind a proxy: Jetty takes scheme, host and client address from X-Forwarded-* (as jetty-config's forwarded.ini). */
    public static AppUnderTest behindProxy(String name, Map<String, String> settings) throws Exception {
        return new AppUnderTest(name, settings, true);
    }

    public URI base() {
        return server.base();
    }

    /** A new visitor who has loaded the page (cookie and CSRF token). */
    public ChatClient visitor() throws Exception {
        return new ChatClient(base()).open();
    }

    /** Rows in every table a chat writes to: conversations, messages, answers, attempts. */
    public String stored() {
        return rows.one("SELECT (SELECT COUNT(*) FROM conversation) AS conversations, (SELECT COUNT(*) FROM message) AS messages,"
                + " (SELECT COUNT(*) FROM answer_usage) AS answers, (SELECT COUNT(*) FROM answer_attempt) AS attempts").toString();
    }

    /** Requests that reached the provider. */
    public int sentUpstream() {
        return upstream.requests.size();
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            upstream.close();
        }
    }
}
