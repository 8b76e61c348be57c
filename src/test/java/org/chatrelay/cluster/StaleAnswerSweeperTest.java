package org.chatrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.chatrelay.persistence.Database;
import org.chatrelay.persistence.StopRequestRepository;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerStart;
import org.chatrelay.persistence.AnswerTables;
import org.chatrelay.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StaleAnswerSweeperTest extends AnswerTables {
    static final Duration MAX_TURN = Duration.ofMinutes(10);
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    StopRequestRepository stops;
    StaleAnswerSweeper sweeper;

    @Override
    protected Database openDatabase() {
        return TestDb.h2();
    }

    @BeforeEach
    void setUp() {
        stops = new StopRequestRepository(db.dataSource());
        // A long period: the test calls sweep() itself.
        sweeper = new StaleAnswerSweeper(answers, stops, MAX_TURN, Duration.ofHours(1));
    }

    @AfterEach
    void closeSweeper() {
        sweeper.close();
    }

    @Test
    void an_answer_older_than_the_turn_limit_plus_margin_is_interrupted_whatever_node_left_it() {
        AnswerIds lost = begin("dead-node", NOW.minus(MAX_TURN).minus(StaleAnswerSweeper.MARGIN).minusSeconds(1));

        assertEquals(1, sweeper.sweep(NOW));

        assertEquals("interrupted", status(lost));
    }

    @Test
    void an_answer_that_could_still_be_live_on_another_node_is_left_alone() {
        AnswerIds live = begin("other-node", NOW.minus(MAX_TURN));

        assertEquals(0, sweeper.sweep(NOW));

        assertEquals("streaming", status(live));
    }

    @Test
    void stop_requests_nobody_collected_are_swept() {
        AnswerIds ids = begin("dead-node", NOW.minusSeconds(60));
        stops.request(ids.assistantMessageId(), "v1", NOW.minus(StaleAnswerSweeper.STOP_REQUEST_AGE).minusSeconds(1));

        sweeper.sweep(NOW);

        assertEquals(0, stops.forNode("dead-node").size());
    }

    private AnswerIds begin(String node, Instant at) {
        return answers.begin(new AnswerStart(null, "v1", "t", "hello", "p", null, "m", node, at));
    }

    private String status(AnswerIds ids) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM message WHERE id = ?")) {
            ps.setString(1, ids.assistantMessageId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString("status");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
