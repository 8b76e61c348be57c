package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 16 item 4: checkpoints of streaming answers, what a crash keeps of them, and the rows a resume reads. */
class CheckpointRepositoryTest extends AnswerTables {
    CheckpointRepository checkpoints;

    @BeforeEach
    void setUp() {
        checkpoints = new CheckpointRepository(db.dataSource());
    }

    @Test
    void one_batch_writes_the_text_of_every_streaming_answer_and_leaves_a_finished_one_as_it_was() {
        AnswerIds a = answers.begin(start(null, "v1", "one", "node-a", T0));
        AnswerIds b = answers.begin(start(null, "v2", "two", "node-a", T0));
        AnswerIds done = answers.begin(start(null, "v3", "three", "node-a", T0));
        answers.finish(end(done, "the whole answer", "completed", T0.plusSeconds(1)));

        int written = checkpoints.checkpoint(List.of(new Checkpoint(a.assistantMessageId(), "Hello wo", null),
                new Checkpoint(b.assistantMessageId(), "Sure", "Thinking it over"),
                new Checkpoint(done.assistantMessageId(), "the whole", null)));

        assertEquals(2, written, "the finished answer's row is not written");
        StoredAnswer first = checkpoints.read(a.assistantMessageId(), "v1").orElseThrow();
        assertEquals("Hello wo", first.content());
        assertEquals("", first.reasoning());
        assertTrue(first.streaming());
        assertEquals("Thinking it over", checkpoints.read(b.assistantMessageId(), "v2").orElseThrow().reasoning());
        StoredAnswer finished = checkpoints.read(done.assistantMessageId(), "v3").orElseThrow();
        assertEquals("the whole answer", finished.content());
        assertEquals("completed", finished.status());
        assertEquals(12, finished.promptTokens());
        assertEquals(1234L, finished.costMicros());
    }

    @Test
    void an_answer_a_dead_node_left_open_keeps_its_checkpointed_text_as_interrupted_and_can_be_continued() {
        AnswerIds ids = answers.begin(start(null, "v1", "tell me", "node-a", T0));
        checkpoints.checkpoint(List.of(new Checkpoint(ids.assistantMessageId(), "Half an answer", "Some thought")));

        assertEquals(1, answers.markInterrupted("node-a", T0.minusSeconds(1)));

        StoredAnswer a = checkpoints.read(ids.assistantMessageId(), "v1").orElseThrow();
        assertEquals("interrupted", a.status());
        assertEquals("Half an answer", a.content());
        assertEquals("Some thought", a.reasoning());
        assertEquals("node_restart", a.errorCode());
        // Continue works on an interrupted answer: AnswerRewrites opens a continue of it.
        AnswerRewrites rewrites = new AnswerRewrites(db.dataSource());
        AnswerIds more = rewrites.continueAnswer(start(ids.conversationId(), "v1", null, "node-b", T0.plusSeconds(5)), ids.assistantMessageId());
        assertTrue(more.history().stream().anyMatch(m -> m.content().equals("Half an answer")), more.history().toString());
        assertEquals(0, checkpoints.checkpoint(List.of(new Checkpoint(ids.assistantMessageId(), "Half an answer and more", null))),
                "a late checkpoint of the interrupted answer changes nothing");
    }

    @Test
    void a_resume_reads_only_the_visitors_own_answers_and_a_remote_viewer_stamps_a_streaming_one() {
        AnswerIds ids = answers.begin(start(null, "v1", "hi", "node-a", T0));
        assertEquals(Optional.empty(), checkpoints.read(ids.assistantMessageId(), "v2"));
        assertEquals(Optional.empty(), checkpoints.read(ids.userMessageId(), "v1"), "a question has no events");
        AnswerIds other = answers.begin(start(null, "v1", "another", "node-a", T0));
        List<String> both = List.of(ids.assistantMessageId(), other.assistantMessageId());
        assertEquals(Map.of(), checkpoints.viewedAgo(both));

        checkpoints.markViewed(ids.assistantMessageId());
        Map<String, Duration> ago = checkpoints.viewedAgo(both);
        assertEquals(Set.of(ids.assistantMessageId()), ago.keySet(), "only the stamped answer, in one read of both");
        Duration first = ago.get(ids.assistantMessageId());
        assertFalse(first.isNegative() || first.compareTo(Duration.ofMinutes(1)) > 0, "stamped " + first + " ago");

        answers.finish(end(ids, "done", "completed", T0.plusSeconds(4)));
        TestDb.update(db, "UPDATE message SET viewed_at = NULL WHERE id = ?", ids.assistantMessageId());
        checkpoints.markViewed(ids.assistantMessageId());
        assertEquals(Map.of(), checkpoints.viewedAgo(both), "a finished row is not stamped");
        assertFalse(checkpoints.read(ids.assistantMessageId(), "v1").orElseThrow().streaming());
    }
}
