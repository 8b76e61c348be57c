package org.chatrelay.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The built WAR on embedded Jetty with a fake upstream and a fresh H2 database, configured by the test: what the
 * security tests share. {@link #stored()} and {@link #sentUpstream()} let a test prove a refused request left no trace.
 * Either started by hand ({@link #start}, closed by try-with-resources) or, as a class's
 * {@code @RegisterExtension static} field ({@link #forClass}), before its first test and closed after its last.
 */
public final class AppUnderTest implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final Map<String, String> settings;
    private final boolean behindProxy;
    public FakeUpstream upstream;
    public EmbeddedServer server;
    public Rows rows;
    public String dbUrl;

    private AppUnderTest(String name, Map<String, String> settings, boolean behindProxy) {
        this.name = name;
        this.settings = settings;
        this.behindProxy = behindProxy;
    }

    /** Started before the class's first test, closed after its last. */
    public static AppUnderTest forClass(String name, Map<String, String> settings) {
        return new AppUnderTest(name, settings, false);
    }

    /** {@link #forClass}, behind a proxy (see {@link #behindProxy}). */
    public static AppUnderTest forClassBehindProxy(String name, Map<String, String> settings) {
        return new AppUnderTest(name, settings, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        launch();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    private AppUnderTest launch() throws Exception {
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
        return this;
    }

    public static AppUnderTest start(String name, Map<String, String> settings) throws Exception {
        return new AppUnderTest(name, settings, false).launch();
    }

    /** Behind a proxy: Jetty takes scheme, host and port from X-Forwarded-* (as jetty-config's forwarded.ini). */
    public static AppUnderTest behindProxy(String name, Map<String, String> settings) throws Exception {
        return new AppUnderTest(name, settings, true).launch();
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
            if (server != null) {
                server.close();
            }
        } finally {
            if (upstream != null) {
                upstream.close();
            }
        }
    }
}
