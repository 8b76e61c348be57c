package org.chatrelay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The options of the extension the integration tests boot the app with: a fresh app around each test, the thread
 * count, a providers file over several fake upstreams. The two tests do the same thing; with a class-wide app
 * (the default) whichever runs second would find the first one's rows and requests.
 */
class AppUnderTestIT {
    @RegisterExtension
    static final AppUnderTest app = AppUnderTest.named("app-under-test").perTest().threads(9)
            .providers(2, upstreams -> """
                    {'defaultModel': 'first',
                     'providers': [
                      {'name': 'one', 'baseUrl': '%s', 'models': [{'name': 'first'}]},
                      {'name': 'two', 'baseUrl': '%s', 'models': [{'name': 'second'}]}]}
                    """.formatted(upstreams.get(0).baseUrl(), upstreams.get(1).baseUrl()))
            .settings(Map.of("chatrelay.heartbeat.ms", "1000"));

    @Test
    void each_test_gets_a_fresh_database_and_fresh_upstreams_on_the_threads_it_asked_for() throws Exception {
        chatOnceWithEachModel();
    }

    @Test
    void so_does_the_next_one() throws Exception {
        chatOnceWithEachModel();
    }

    private static void chatOnceWithEachModel() throws Exception {
        assertEquals("{conversations=0, messages=0, answers=0, attempts=0}", app.stored(), "a fresh database");
        assertEquals(9, app.server.pool.getMaxThreads());
        ChatClient visitor = app.visitor();
        assertEquals("done", visitor.chatWith("first", "hi").last().name());
        assertEquals("done", visitor.chatWith("second", "hi").last().name());
        assertEquals(1, app.upstreams.get(0).requests.size(), "the first model's provider got one request");
        assertEquals(1, app.upstreams.get(1).requests.size(), "the second model's provider got one request");
        assertTrue(app.providersFile.toString().contains("app-under-test"), app.providersFile.toString());
    }
}
