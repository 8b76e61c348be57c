package org.chatrelay.testing;

import java.io.File;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The application under test is the WAR that {@code mvn package} built, so the tests exercise the real artifact.
 * Configuration reaches it as system properties, read when the web context starts.
 */
public final class TestApp {
    private TestApp() {
    }

    public static File warFile() {
        File war = new File(System.getProperty("chatrelay.war", "target/chatrelay.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the integration tests with 'mvn verify'");
        }
        return war;
    }

    public static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, warFile());
    }

    /** {@link TestDb#h2File}, kept for tests written against this class. */
    public static String freshH2(String name) {
        return TestDb.h2File(name);
    }

    /** {@link TestDb#selectedUrl}: H2, or PostgreSQL in the PostgreSQL pass of {@code mvn verify}. */
    public static String freshDb(String name) {
        return TestDb.selectedUrl(name);
    }

    /** The keys the last {@link #configure} set: only those are cleared, never what the build passed in (war, jetty home…). */
    private static final java.util.Set<String> SET_BY_TESTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Detached answers end at once unless a test says otherwise: the tests written before resumable answers (issue 16)
     * close the browser and expect {@code client_gone} and the provider's abort straight away, which is the behaviour of
     * {@code CHATRELAY_DETACHED_GRACE_MS=0}. The resume tests set their own grace.
     */
    static final Map<String, String> DEFAULTS = Map.of("chatrelay.detached.grace.ms", "0");

    public static synchronized void configure(Map<String, String> properties) {
        // Clear what an earlier test class set, then apply this one's.
        SET_BY_TESTS.forEach(System::clearProperty);
        SET_BY_TESTS.clear();
        Map<String, String> all = new java.util.HashMap<>(DEFAULTS);
        all.putAll(properties);
        SET_BY_TESTS.addAll(all.keySet());
        all.forEach(System::setProperty);
        TestSecrets.rememberFrom(properties);
    }
}
