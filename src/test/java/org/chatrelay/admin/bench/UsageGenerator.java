package org.chatrelay.admin.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Writes synthetic usage into a migrated ChatRelay database: conversations, their user and assistant messages,
 * and one answer_usage row per answer, in JDBC batches, spread over {@code days} days ending on {@code lastDay}.
 * Rows are left for the roll-up job, as the live app would leave them. Like a deployment with a 30-day retention,
 * only the last {@value #KEEP_DAYS} days keep their conversations and messages; older usage rows outlive them
 * (message_id NULL), as they do when conversations are deleted.
 */
public final class UsageGenerator {
    private static final int BATCH = 2_000;
    static final int KEEP_DAYS = 30;

    private UsageGenerator() {
    }

    /** @return how many answers were written (exactly {@code answers}) */
    public static long generate(DataSource ds, long answers, int days, LocalDate lastDay, long seed) throws SQLException {
        SyntheticUsage s = new SyntheticUsage(seed, (int) Math.max(50, answers / 40));
        LocalDate first = lastDay.minusDays(days - 1L);
        double total = 0;
        for (int d = 0; d < days; d++) {
            total += SyntheticUsage.dayWeight(first.plusDays(d), first);
        }
        long written = 0;
        Instant keepFrom = lastDay.minusDays(KEEP_DAYS - 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
        try (Connection conn = ds.getConnection(); Writer w = new Writer(conn, keepFrom)) {
            conn.setAutoCommit(false);
            for (int d = 0; d < days; d++) {
                LocalDate day = first.plusDays(d);
                long quota = d == days - 1 ? answers - written
                        : Math.round(answers * SyntheticUsage.dayWeight(day, first) / total);
                long done = 0;
                while (done < quota) {
                    done += w.conversation(s, s.timeOn(day), (int) Math.min(s.turns(), quota - done));
                }
                written += done;
            }
            w.flush();
            conn.commit();
        }
        return written;
    }

    /** Three batched inserts sharing one connection and transaction. */
    private static final class Writer implements AutoCloseable {
        final PreparedStatement conversation;
        final PreparedStatement message;
        final PreparedStatement usage;
        final Instant keepFrom;
        int pending;

        Writer(Connection conn, Instant keepFrom) throws SQLException {
            this.keepFrom = keepFrom;
            conversation = conn.prepareStatement("INSERT INTO conversation (id, visitor_id, title, model, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)");
            message = conn.prepareStatement("INSERT INTO message (id, conversation_id, seq, role, content, status, node_id, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 'bench', ?)");
            usage = conn.prepareStatement("INSERT INTO answer_usage (id, message_id, conversation_id, visitor_id, node_id, provider,"
                    + " arm, model_requested, model_reported, prompt_tokens, completion_tokens, usage_source, cost_micros, ttft_ms,"
                    + " total_ms, tokens_per_second, max_gap_ms, end_reason, finish_reason, error_code, attempts, started_at, ended_at)"
                    + " VALUES (?, ?, ?, ?, 'bench', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        }

        int conversation(SyntheticUsage s, Instant start, int turns) throws SQLException {
            String id = s.uuid().toString();
            String visitor = s.visitor();
            SyntheticUsage.Model m = s.model();
            String text = s.firstMessage();
            Instant t = start;
            Instant last = start;
            boolean kept = !start.isBefore(keepFrom);
            for (int turn = 0; turn < turns; turn++) {
                SyntheticUsage.Answer a = s.answer(t, m, turn, turn == 0 ? text : s.followUp());
                String answerId = s.uuid().toString();
                String userId = s.uuid().toString();
                if (kept) {
                    message(userId, id, 2 * turn + 1, "user", a.userText(), "sent", t);
                    message(answerId, id, 2 * turn + 2, "assistant", a.answerText(), a.endReason(), t);
                }
                usage(s.uuid().toString(), kept ? answerId : null, id, visitor, a);
                last = a.endedAt();
                t = last.plusMillis(s.nextPauseMillis());
            }
            if (kept) {
                conversation.setString(1, id);
                conversation.setString(2, visitor);
                conversation.setString(3, text);
                conversation.setString(4, m.name());
                conversation.setObject(5, utc(start));
                conversation.setObject(6, utc(last));
                conversation.addBatch();
            }
            if (pending >= BATCH) {
                flush();
            }
            return turns;
        }

        void message(String id, String conversationId, int seq, String role, String content, String status, Instant at) throws SQLException {
            message.setString(1, id);
            message.setString(2, conversationId);
            message.setInt(3, seq);
            message.setString(4, role);
            message.setString(5, content);
            message.setString(6, status);
            message.setObject(7, utc(at));
            message.addBatch();
        }

        void usage(String id, String messageId, String conversationId, String visitor, SyntheticUsage.Answer a) throws SQLException {
            usage.setString(1, id);
            usage.setString(2, messageId);
            usage.setString(3, conversationId);
            usage.setString(4, visitor);
            usage.setString(5, a.model().provider());
            usage.setString(6, a.arm());
            usage.setString(7, a.model().name());
            usage.setString(8, a.model().name());
            usage.setInt(9, a.promptTokens());
            usage.setInt(10, a.completionTokens());
            usage.setString(11, a.usageSource());
            usage.setLong(12, a.costMicros());
            usage.setObject(13, a.ttftMs(), Types.INTEGER);
            usage.setInt(14, a.totalMs());
            usage.setObject(15, a.tokensPerSecond(), Types.DOUBLE);
            usage.setObject(16, a.maxGapMs(), Types.INTEGER);
            usage.setString(17, a.endReason());
            usage.setString(18, a.finishReason());
            usage.setString(19, a.errorCode());
            usage.setObject(20, utc(a.startedAt()));
            usage.setObject(21, utc(a.endedAt()));
            usage.addBatch();
            pending++;
        }

        /** Parents first: messages reference their conversation. */
        void flush() throws SQLException {
            conversation.executeBatch();
            message.executeBatch();
            usage.executeBatch();
            conversation.getConnection().commit();
            pending = 0;
        }

        @Override
        public void close() throws SQLException {
            conversation.close();
            message.close();
            usage.close();
        }
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
