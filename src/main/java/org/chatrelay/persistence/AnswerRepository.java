package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Writes one answer: {@link #begin} before the answer streams, {@link #finish} when it ends, each in one
 * transaction so a crash never leaves half an answer. {@link #markInterrupted} repairs answers a dead node left open.
 */
public final class AnswerRepository {

    static final String DEFAULT_TITLE = "New conversation";
    static final String NUL_REPLACED = "nul_replaced";

    private final DataSource ds;

    public AnswerRepository(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /**
     * A new conversation's opening is one statement (on PostgreSQL one round trip, its own commit); a follow-up's
     * transaction first locks the conversation and reads its last seq, then inserts its rows in one statement and reads
     * the history.
     *
     * @throws NotFoundException when the conversation does not exist or belongs to another visitor
     */
    public AnswerIds begin(AnswerStart start) {
        Objects.requireNonNull(start, "start");
        if (start.conversationId() == null) {
            AnswerIds ids = AnswerIds.fresh();
            begin(start, ids);
            return opened(start, ids);
        }
        return Jdbc.inTransaction(ds, conn -> follow(conn, start, AnswerIds.fresh()),
                () -> "cannot begin an answer in conversation " + start.conversationId());
    }

    /**
     * Opens a new conversation's first answer under ids made beforehand ({@link AnswerIds#fresh}), so the answer can go
     * upstream while this transaction runs: the prompt of a first question needs nothing this transaction reads.
     *
     * @throws IllegalArgumentException when {@code start} names a conversation (its history and seq must be read first)
     */
    public void begin(AnswerStart start, AnswerIds ids) {
        Objects.requireNonNull(ids, "ids");
        if (start.conversationId() != null) {
            throw new IllegalArgumentException("ids made beforehand open only a new conversation");
        }
        Jdbc.atomically(ds, conn -> {
            AnswerSql.insertOpening(conn, ids, title(start.title()), 0, start, Jdbc.withoutNul(start.userText()));
            return null;
        }, () -> "cannot begin an answer in a new conversation");
    }

    /** A new conversation holds just the two messages its opening stored: no query for them. */
    private static AnswerIds opened(AnswerStart start, AnswerIds made) {
        String conversationId = made.conversationId();
        List<Message> history = List.of(
                new Message(made.userMessageId(), conversationId, 1, "user", Jdbc.withoutNul(start.userText()), "sent", start.startedAt()),
                new Message(made.assistantMessageId(), conversationId, 2, "assistant", "", "streaming", start.startedAt()));
        return new AnswerIds(conversationId, made.userMessageId(), made.assistantMessageId(), made.usageId(), history);
    }

    private static AnswerIds follow(Connection conn, AnswerStart start, AnswerIds made) throws SQLException {
        String conversationId = start.conversationId();
        // The UPDATE both proves ownership and row-locks the conversation, so concurrent answers get distinct seqs.
        if (AnswerSql.touchConversation(conn, conversationId, start.visitorId(), start.startedAt()) == 0) {
            throw new NotFoundException("no conversation " + conversationId + " for this visitor");
        }
        int seq = AnswerSql.maxSeq(conn, conversationId);
        AnswerIds ids = new AnswerIds(conversationId, made.userMessageId(), made.assistantMessageId(), made.usageId());
        AnswerSql.insertOpening(conn, ids, null, seq, start, Jdbc.withoutNul(start.userText()));
        return new AnswerIds(conversationId, ids.userMessageId(), ids.assistantMessageId(), ids.usageId(),
                ConversationRepository.messages(conn, conversationId));
    }

    /**
     * @return false when the answer was already finished (by an earlier write of it, or the sweeper): nothing changed
     * @throws NotFoundException when the usage row does not exist
     */
    public boolean finish(AnswerEnd end) {
        return finishAll(List.of(end)) == 1;
    }

    /**
     * Finishes answers in one transaction: one commit for a burst of answers that ended together (the relay's
     * recorder groups them). All or nothing. An answer already finished is left as it is (finished rows never change:
     * the report's rollups count each once), so writing the same end twice is harmless.
     *
     * @return how many of the answers this call finished; the others were finished already
     * @throws NotFoundException when a usage row does not exist (nothing of the batch is stored)
     */
    public int finishAll(List<AnswerEnd> ends) {
        ends.forEach(end -> {
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(end.endReason(), "endReason");
        });
        if (ends.isEmpty()) {
            return 0;
        }
        return Jdbc.inTransaction(ds, conn -> finish(conn, ends),
                () -> "cannot finish answer " + ends.get(0).usageId() + (ends.size() > 1 ? " and " + (ends.size() - 1) + " more" : ""));
    }

    /**
     * One batch per table for the whole group (usage rows, then messages, then attempts: the order markInterrupted
     * locks them in), so answers that end together cost four round trips, not three each and a commit.
     */
    private static int finish(Connection conn, List<AnswerEnd> ends) throws SQLException {
        int[] changed = AnswerSql.finishUsage(conn, ends);
        List<AnswerEnd> finished = new ArrayList<>(ends.size());
        for (int i = 0; i < ends.size(); i++) {
            if (changed[i] > 0) {
                finished.add(ends.get(i));
            } else if (!AnswerSql.usageExists(conn, ends.get(i).usageId())) {
                throw new NotFoundException("no usage row " + ends.get(i).usageId());
            }
            // else a late write (a replay, a retry that did commit, an answer the sweeper closed): the rows stay as they were.
        }
        if (finished.isEmpty()) {
            return 0;
        }
        AnswerSql.finishMessages(conn, finished);
        AnswerSql.insertAttempts(conn, finished);
        for (AnswerEnd end : finished) {
            ThinkingRepository.finish(conn, end);
        }
        return finished.size();
    }

    /**
     * Closes answers left 'streaming' by this node before a restart, or by any node before {@code staleBefore}.
     *
     * @return how many assistant messages became 'interrupted'
     */
    public int markInterrupted(String nodeId, Instant staleBefore) {
        return Jdbc.inTransaction(ds, conn -> AnswerSql.interrupt(conn, nodeId, staleBefore, Instant.now()),
                () -> "cannot mark interrupted answers of node " + nodeId);
    }

    public Optional<UsageRecord> usageForMessage(String messageId) {
        List<UsageRecord> rows = usage("message_id = ?", messageId, "usage of message " + messageId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Also finds the usage of a deleted conversation: those rows have no foreign key to it. */
    public List<UsageRecord> usageForConversation(String conversationId) {
        return usage("conversation_id = ?", conversationId, "usage of conversation " + conversationId);
    }

    private List<UsageRecord> usage(String condition, String value, String what) {
        String sql = "SELECT " + UsageRows.COLUMNS + " FROM answer_usage WHERE " + condition + " ORDER BY started_at, id";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                List<UsageRecord> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(UsageRows.map(rs));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new PersistenceException("cannot read " + what, e);
        }
    }

    private static String title(String requested) {
        String title = Jdbc.withoutNul(requested == null ? "" : requested.strip());
        return title.isEmpty() ? DEFAULT_TITLE : AnswerSql.clip(title, 200);
    }
}
