package org.chatrelay.relay;

import static org.chatrelay.relay.StopWhileQueuedTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.chatrelay.http.ApiException;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerRepository;
import org.chatrelay.persistence.AnswerStart;
import org.chatrelay.persistence.CheckpointRepository;
import org.chatrelay.persistence.Database;
import org.chatrelay.persistence.StoredAnswer;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resumes served from the stored rows (an answer another node produces): the poll and its failures, on a real database. */
class StoredAnswersTest {
    private Database db;
    private AnswerIds ids;

    @BeforeEach
    void setUp() {
        db = TestDb.open();
        ids = new AnswerRepository(db.dataSource()).begin(new AnswerStart(null, "v1", "hi", "hi", "p", null, "m", "node-a", Instant.now()));
    }

    @AfterEach
    void tearDown() {
        TestDb.close(db);
    }

    /**
     * Review finding 8: a poll that fails with something other than the database being away (here a row whose status
     * is no end the relay knows, so its terminal event cannot be rebuilt) ends the viewer's stream with an error event,
     * instead of cancelling the poll silently and leaving the viewer without heartbeats until the async timeout.
     */
    @Test
    void a_poll_that_fails_unexpectedly_ends_the_viewers_stream_with_an_error_event() throws Exception {
        CheckpointRepository rows = new CheckpointRepository(db.dataSource());
        StoredAnswer first = rows.read(ids.assistantMessageId(), "v1").orElseThrow();
        TestDb.update(db, "UPDATE message SET status = 'unheard_of' WHERE id = ?", ids.assistantMessageId());
        try (StoredAnswers stored = new StoredAnswers(rows, new ObjectMapper(), Duration.ofMillis(10), Duration.ofSeconds(15), Duration.ZERO)) {
            StopWhileQueuedTest.Browser browser = new StopWhileQueuedTest.Browser();
            AnswerFeed feed = AnswerFeed.stored();
            FeedViewer.resume(feed, browser.request().startAsync(), EventId.START).begin();
            stored.follow(feed, first, "v1");
            await(() -> browser.completed, "the viewer's stream ended");
            assertTrue(browser.text().contains("event: error") && browser.text().contains("\"code\":\"internal_error\""), browser.text());
        }
    }

    /**
     * Review finding 9: with no grace nobody reads the viewed stamp, so a remote viewer's polls write none; with one,
     * the poll stamps the row by the database's clock (the owner compares it with the database's clock too).
     */
    @Test
    void a_remote_viewer_stamps_the_row_only_when_there_is_a_grace() throws Exception {
        assertEquals(0, viewedAfterAPoll(Duration.ZERO), "a stamp written with no grace");
        TestDb.update(db, "UPDATE message SET content = '' WHERE id = ?", ids.assistantMessageId());
        assertEquals(1, viewedAfterAPoll(Duration.ofSeconds(30)), "no stamp written with a grace");
    }

    /** Follows the streaming answer until a poll has read a checkpoint; how many rows then carry a stamp. */
    private long viewedAfterAPoll(Duration grace) throws Exception {
        TestDb.update(db, "UPDATE message SET viewed_at = NULL WHERE id = ?", ids.assistantMessageId());
        CheckpointRepository rows = new CheckpointRepository(db.dataSource());
        StoredAnswer first = rows.read(ids.assistantMessageId(), "v1").orElseThrow();
        try (StoredAnswers stored = new StoredAnswers(rows, new ObjectMapper(), Duration.ofMillis(10), Duration.ofSeconds(15), grace)) {
            StopWhileQueuedTest.Browser browser = new StopWhileQueuedTest.Browser();
            AnswerFeed feed = AnswerFeed.stored();
            FeedViewer.resume(feed, browser.request().startAsync(), EventId.START).begin();
            stored.follow(feed, first, "v1");
            rows.checkpoint(java.util.List.of(new org.chatrelay.persistence.Checkpoint(ids.assistantMessageId(), "Hello", null)));
            await(() -> browser.text().contains("Hello"), "a poll read the checkpoint");
            return TestDb.count(db, "SELECT COUNT(*) FROM message WHERE id = ? AND viewed_at IS NOT NULL", ids.assistantMessageId());
        }
    }

    /** The database away when the resume starts: a 503 in the API's JSON, not the container's error page. */
    @Test
    void a_resume_whose_first_read_fails_is_a_503_storage_unavailable() throws Exception {
        CheckpointRepository rows = new CheckpointRepository(db.dataSource());
        try (StoredAnswers stored = new StoredAnswers(rows, new ObjectMapper(), Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ZERO);
             Resumes resumes = new Resumes(new StreamRegistry(org.chatrelay.config.AppConfig.from(
                     org.chatrelay.config.Settings.of(java.util.Map.of()))), stored, Duration.ofMinutes(10), null)) {
            TestDb.close(db);
            StopWhileQueuedTest.Browser browser = new StopWhileQueuedTest.Browser();
            ApiException e = assertThrows(ApiException.class, () -> resumes.resume(browser.request(), ids.assistantMessageId(), "v1", null));
            assertEquals(503, e.status);
            assertEquals("storage_unavailable", e.code);
        } finally {
            db = TestDb.open();
        }
    }
}
