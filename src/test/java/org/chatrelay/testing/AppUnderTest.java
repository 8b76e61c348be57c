package org.chatrelay.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one way the tests boot the app: the built WAR on embedded Jetty with fake upstreams and a fresh database,
 * configured by the test. {@link #stored()} and {@link #sentUpstream()} let a test prove a refused request left no
 * trace. Options, set before it starts: {@link #settings}, {@link #threads}, {@link #database}, {@link #providers}
 * (a providers file over the fake upstreams it starts), {@link #demo()}, {@link #behindProxy()} and {@link #perTest()}.
 * <p>
 * Either a class's {@code @RegisterExtension static} field (started before the first test and closed after the last,
 * or around each test with {@link #perTest()}), or started by hand ({@link #start()}, closed by try-with-resources).
 * {@link TestApp} stays its engine (the WAR, the system properties the webapp reads).
 */
public final class AppUnderTest implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /** Where the app's data lives. */
    public enum Db {
        /** A fresh H2 file database the test can open too ({@link TestDb#h2File}). */
        H2,
        /** A fresh database in the test JVM's embedded PostgreSQL. */
        POSTGRES,
        /** PostgreSQL when the run says {@code -Dchatrelay.test.db=postgres}, H2 otherwise. */
        SELECTED
    }

    /** A providers file's JSON made from the fake upstreams the app starts (it may write key files too). */
    @FunctionalInterface
    public interface ProvidersJson {
        String of(List<FakeUpstream> upstreams) throws Exception;
    }

    private final String name;
    private final Map<String, String> settings = new HashMap<>();
    private boolean behindProxy;
    private int threads = 32;
    private Db db = Db.H2;
    private String givenDbUrl;
    private int upstreamCount = 1;
    private ProvidersJson providers;
    private boolean perTest;

    /** The first fake upstream ({@code chatrelay.upstream.url} unless {@link #providers} says otherwise). */
    public FakeUpstream upstream;
    /** Every fake upstream, in the order {@link #providers} receives them. */
    public List<FakeUpstream> upstreams = List.of();
    public EmbeddedServer server;
    public Rows rows;
    public String dbUrl;
    /** The providers file written at start, if {@link #providers} was given. */
    public Path providersFile;
    private Map<String, String> configured;

    private AppUnderTest(String name, Map<String, String> settings, boolean behindProxy) {
        this.name = name;
        this.settings.putAll(settings);
        this.behindProxy = behindProxy;
    }

    /** An app to configure with the options below, then register as an extension or {@link #start()}. */
    public static AppUnderTest named(String name) {
        return new AppUnderTest(name, Map.of(), false);
    }

    /** Started before the class's first test, closed after its last. */
    public static AppUnderTest forClass(String name, Map<String, String> settings) {
        return new AppUnderTest(name, settings, false);
    }

    /** {@link #forClass}, behind a proxy (see {@link #behindProxy}). */
    public static AppUnderTest forClassBehindProxy(String name, Map<String, String> settings) {
        return new AppUnderTest(name, settings, true);
    }

    public static AppUnderTest start(String name, Map<String, String> settings) throws Exception {
        return new AppUnderTest(name, settings, false).launch();
    }

    /** Behind a proxy: Jetty takes scheme, host and port from X-Forwarded-* (as jetty-config's forwarded.ini). */
    public static AppUnderTest behindProxy(String name, Map<String, String> settings) throws Exception {
        return new AppUnderTest(name, settings, true).launch();
    }

    /** System properties the webapp reads; they win over what the other options set. */
    public AppUnderTest settings(Map<String, String> more) {
        settings.putAll(more);
        return this;
    }

    /** The server's maximum thread count (32 unless said). */
    public AppUnderTest threads(int maxThreads) {
        this.threads = maxThreads;
        return this;
    }

    public AppUnderTest database(Db database) {
        this.db = database;
        return this;
    }

    /** A database the test prepared (its URL), instead of a fresh one. */
    public AppUnderTest database(String url) {
        this.givenDbUrl = url;
        return this;
    }

    /** Trusts X-Forwarded-Proto/Host/Port, as jetty-config's forwarded.ini does (see {@link EmbeddedServer}). */
    public AppUnderTest behindProxy() {
        this.behindProxy = true;
        return this;
    }

    /**
     * {@code count} fake upstreams (0 is allowed: the test brings its own) and a providers file made from them by
     * {@code json} (single quotes for double, as {@link ProvidersFiles#write}), instead of the default single model.
     */
    public AppUnderTest providers(int count, ProvidersJson json) {
        this.upstreamCount = count;
        this.providers = json;
        return this;
    }

    /** No upstream and no providers file: the app answers with its built-in demo model. */
    public AppUnderTest demo() {
        this.upstreamCount = 0;
        this.providers = null;
        return this;
    }

    /** As an extension: a fresh app (upstreams, database, server) around each test rather than the whole class. */
    public AppUnderTest perTest() {
        this.perTest = true;
        return this;
    }

    /** Starts it by hand; the caller closes it. */
    public AppUnderTest start() throws Exception {
        return launch();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!perTest) {
            launch();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (!perTest) {
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (perTest) {
            launch();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (perTest) {
            close();
        }
    }

    private AppUnderTest launch() throws Exception {
        List<FakeUpstream> started = new ArrayList<>();
        try {
            for (int i = 0; i < upstreamCount; i++) {
                started.add(new FakeUpstream());
            }
            upstreams = List.copyOf(started);
            upstream = started.isEmpty() ? null : started.get(0);
            dbUrl = givenDbUrl != null ? givenDbUrl : switch (db) {
                case H2 -> TestDb.h2File(name);
                case POSTGRES -> TestDb.postgresUrl(name);
                case SELECTED -> TestDb.selectedUrl(name);
            };
            rows = new Rows(dbUrl, settings.getOrDefault("chatrelay.db.password", ""));
            Map<String, String> all = new HashMap<>();
            if (providers == null && upstream != null) {
                all.put("chatrelay.upstream.url", upstream.baseUrl());
                all.put("chatrelay.model", "deepseek-v3.2");
            } else if (providers != null) {
                providersFile = ProvidersFiles.write(ProvidersFiles.dir(name), "providers.json", providers.of(upstreams));
                all.put("chatrelay.providers.file", providersFile.toString());
            }
            all.put("chatrelay.db.url", dbUrl);
            all.putAll(settings);
            configured = all;
            server = node(threads);
        } catch (Exception | Error e) {
            for (FakeUpstream u : started) {
                u.close();
            }
            throw e;
        }
        return this;
    }

    /**
     * Another node of the same app (same settings, same database), which the caller closes: what a second server
     * behind the same load balancer sees.
     */
    public EmbeddedServer node(int maxThreads) throws Exception {
        TestApp.configure(configured);
        return new EmbeddedServer(TestApp.warFile(), maxThreads, behindProxy);
    }

    /** Stops the server (a graceful stop: what it had to store is stored); upstreams and database stay. */
    public void stopServer() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again (stopping it first if it runs) on the same settings, database and upstreams. */
    public void restart() throws Exception {
        stopServer();
        server = node(threads);
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
            stopServer();
        } finally {
            for (FakeUpstream u : upstreams) {
                u.close();
            }
            upstreams = List.of();
            upstream = null;
        }
    }
}
