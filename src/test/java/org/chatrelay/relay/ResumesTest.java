package org.chatrelay.relay;

import static org.chatrelay.relay.StopWhileQueuedTest.await;
import static org.chatrelay.relay.StopWhileQueuedTest.withRelay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatrelay.config.AppConfig;
import org.chatrelay.config.Settings;
import org.chatrelay.http.ApiException;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerRepository;
import org.chatrelay.persistence.AnswerStart;
import org.chatrelay.persistence.CheckpointRepository;
import org.chatrelay.persistence.Database;
import org.chatrelay.testing.Reply;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.Test;

/**
 * Review finding 6: resumes of one answer are capped per node ({@link Resumes#MAX_VIEWERS}), on the producing node (each
 * viewer is a socket write per token under the answer's lock) as on another (each a read of the row every interval on
 * the node's one poll thread); a viewer that leaves gives its place back.
 */
class ResumesTest {

    private static boolean resumed(Resumes resumes, String id, List<StopWhileQueuedTest.Browser> browsers) {
        StopWhileQueuedTest.Browser b = new StopWhileQueuedTest.Browser();
        try {
            resumes.resume(b.request(), id, "v1", null);
            browsers.add(b);
            return true;
        } catch (ApiException e) {
            assertEquals(429, e.status);
            assertEquals("too_many_viewers", e.code);
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void a_live_answer_takes_four_viewers_on_its_node_and_a_fifth_is_a_429_until_one_leaves() throws Exception {
        withRelay("viewers-capped", (upstream, router, relay) -> {
            try (Resumes resumes = relay.resumes()) {
                upstream.plan("long", Reply.stream("slow", 1_000, 20));
                StopWhileQueuedTest.Browser post = new StopWhileQueuedTest.Browser();
                relay.startQuestion(post.request(), "v1", null, "a long answer [plan:long]", "gated", () -> { });
                await(() -> post.text().contains("event: token"), "the answer streams to its POST");
                RelayStream answer = relay.registry().snapshot().get(0);
                String id = answer.answer().ids().assistantMessageId();
                List<StopWhileQueuedTest.Browser> browsers = new ArrayList<>();
                for (int i = 0; i < Resumes.MAX_VIEWERS - 1; i++) {
                    assertEquals(true, resumed(resumes, id, browsers), "resume " + (i + 1));
                }
                assertEquals(Resumes.MAX_VIEWERS, answer.feed().viewers());
                assertEquals(false, resumed(resumes, id, browsers), "a fifth viewer was let in");
                browsers.get(0).leave();
                assertEquals(true, resumed(resumes, id, browsers), "the place of a viewer that left");
            }
        });
    }

    @Test
    void an_answer_of_another_node_takes_four_viewers_here_and_a_fifth_is_a_429_until_one_leaves() throws Exception {
        Database db = TestDb.open();
        AppConfig config = AppConfig.from(Settings.of(Map.of()));
        try (StreamRegistry registry = new StreamRegistry(config);
             StoredAnswers stored = new StoredAnswers(new CheckpointRepository(db.dataSource()), new ObjectMapper(), Duration.ofMillis(10),
                     Duration.ofSeconds(15), Duration.ZERO);
             Resumes resumes = new Resumes(registry, stored, Duration.ofMinutes(10), null)) {
            AnswerIds ids = new AnswerRepository(db.dataSource()).begin(new AnswerStart(null, "v1", "hi", "hi", "p", null, "m", "node-a",
                    Instant.now()));
            String id = ids.assistantMessageId();
            List<StopWhileQueuedTest.Browser> browsers = new ArrayList<>();
            for (int i = 0; i < Resumes.MAX_VIEWERS; i++) {
                assertEquals(true, resumed(resumes, id, browsers), "resume " + (i + 1));
            }
            assertEquals(false, resumed(resumes, id, browsers), "a fifth viewer was let in");
            browsers.get(0).leave();
            await(() -> resumed(resumes, id, browsers), "the place of a viewer that left given back by its poll");
        } finally {
            TestDb.close(db);
        }
    }
}
