package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.chatrelay.persistence.StopRequestRepository.StopRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StopRequestRepositoryTest extends AnswerTables {
    StopRequestRepository stops;

    @BeforeEach
    void setUp() {
        stops = new StopRequestRepository(db.dataSource());
    }

    @Test
    void a_stop_for_the_visitors_streaming_answer_waits_for_the_node_that_streams_it() {
        AnswerIds ids = answers.begin(start(null, "v1", "hi", "node-a", T0));

        assertTrue(stops.request(ids.assistantMessageId(), "v1", T0.plusSeconds(1)));

        assertEquals(List.of(new StopRequest(ids.assistantMessageId(), "v1")), stops.forNode("node-a"));
        assertEquals(List.of(), stops.forNode("node-b"));
    }

    @Test
    void pressing_stop_twice_leaves_one_request_and_says_yes_both_times() {
        AnswerIds ids = answers.begin(start(null, "v1", "hi", "node-a", T0));

        assertTrue(stops.request(ids.assistantMessageId(), "v1", T0.plusSeconds(1)));
        assertTrue(stops.request(ids.assistantMessageId(), "v1", T0.plusSeconds(2)));

        assertEquals(1, stops.forNode("node-a").size());
    }

    @Test
    void nobody_can_stop_another_visitors_answer_an_ended_answer_or_a_user_message() {
        AnswerIds ids = answers.begin(start(null, "v1", "hi", "node-a", T0));
        AnswerIds ended = answers.begin(start(null, "v1", "bye", "node-a", T0));
        answers.finish(end(ended, "done", "completed", T0.plusSeconds(1)));

        assertFalse(stops.request(ids.assistantMessageId(), "v2", T0.plusSeconds(1)));
        assertFalse(stops.request(ended.assistantMessageId(), "v1", T0.plusSeconds(1)));
        assertFalse(stops.request(ids.userMessageId(), "v1", T0.plusSeconds(1)));
        assertFalse(stops.request("00000000-0000-0000-0000-000000000000", "v1", T0.plusSeconds(1)));
        assertEquals(List.of(), stops.forNode("node-a"));
    }

    @Test
    void a_collected_request_is_deleted_and_old_ones_are_swept() {
        AnswerIds collected = answers.begin(start(null, "v1", "one", "node-a", T0));
        AnswerIds old = answers.begin(start(null, "v1", "two", "node-a", T0));
        AnswerIds recent = answers.begin(start(null, "v1", "three", "node-a", T0));
        stops.request(collected.assistantMessageId(), "v1", T0.plusSeconds(5));
        stops.request(old.assistantMessageId(), "v1", T0);
        stops.request(recent.assistantMessageId(), "v1", T0.plusSeconds(600));

        stops.delete(collected.assistantMessageId());
        assertEquals(1, stops.deleteOlderThan(T0.plusSeconds(300)));

        assertEquals(List.of(new StopRequest(recent.assistantMessageId(), "v1")), stops.forNode("node-a"));
    }
}
