package org.chatrelay.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Answers that rework the end of a conversation: regenerate the last answer, edit the last question, continue a cut
 * answer. Like {@link AnswerRepository#begin} each runs in one transaction and leaves an assistant placeholder and its
 * usage row; what it replaces is marked {@code replaced_by}, never deleted, so its usage and cost still count.
 */
public final class AnswerRewrites {

    public static final String CONTINUE_KIND = "continue";
    /** What goes upstream (and is stored, so the history is what was sent) when the visitor asks to continue. */
    public static final String CONTINUE_PROMPT = "Continue your previous answer exactly where it stopped, without repeating anything.";

    private final DataSource ds;

    public AnswerRewrites(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    private record Current(String id, String role, String status, String content) {
    }

    /** A new answer to the last question; the last answer is marked replaced by it. */
    public AnswerIds regenerate(AnswerStart start) {
        return inTransaction(start, (conn, last, seq) -> {
            Current answer = lastAnswerOf(last);
            String userId = last.size() >= 2 && last.get(last.size() - 2).role().equals("user") ? last.get(last.size() - 2).id() : null;
            if (userId == null) {
                throw new ConflictException("not_regenerable", "There is no question before the last answer.");
            }
            AnswerIds ids = openAnswer(conn, start, userId, seq + 1);
            markReplaced(conn, List.of(answer.id()), ids.assistantMessageId());
            return ids;
        });
    }

    /** The last question, edited: it and its answer are marked replaced by the new question. */
    public AnswerIds edit(AnswerStart start, String userMessageId) {
        return inTransaction(start, (conn, last, seq) -> {
            int at = last.size() - 2;
            if (at < 0 || !last.get(at).id().equals(userMessageId) || !last.get(at).role().equals("user")) {
                throw new ConflictException("not_last_question", "Only the last question can be edited.");
            }
            lastAnswerOf(last);
            String userId = UUID.randomUUID().toString();
            AnswerSql.insertMessage(conn, userId, start.conversationId(), seq + 1, "user", Jdbc.withoutNul(start.userText()), "sent",
                    null, start.startedAt());
            markReplaced(conn, List.of(last.get(at).id(), last.get(at + 1).id()), userId);
            return openAnswer(conn, start, userId, seq + 2);
        });
    }

    /** A request to continue the last answer, which ended early; the partial answer stays as it is. */
    public AnswerIds continueAnswer(AnswerStart start, String assistantMessageId) {
        return inTransaction(start, (conn, last, seq) -> {
            Current answer = lastAnswerOf(last);
            if (!answer.id().equals(assistantMessageId)) {
                throw new ConflictException("not_last_answer", "Only the last answer can be continued.");
            }
            if (!EndReason.fromCode(answer.status()).map(EndReason::continuable).orElse(false) || answer.content().isEmpty()) {
                throw new ConflictException("not_continuable", "This answer is complete; there is nothing to continue.");
            }
            String userId = UUID.randomUUID().toString();
            AnswerSql.insertMessage(conn, userId, start.conversationId(), seq + 1, "user", CONTINUE_PROMPT, "sent", null, start.startedAt());
            try (PreparedStatement ps = conn.prepareStatement("UPDATE message SET kind = ? WHERE id = ?")) {
                ps.setString(1, CONTINUE_KIND);
                ps.setString(2, userId);
                ps.executeUpdate();
            }
            return openAnswer(conn, start, userId, seq + 2);
        });
    }

    @FunctionalInterface
    private interface Body {
        AnswerIds run(Connection conn, List<Current> last, int maxSeq) throws SQLException;
    }

    private AnswerIds inTransaction(AnswerStart start, Body body) {
        Objects.requireNonNull(start.conversationId(), "conversationId");
        return Jdbc.inTransaction(ds, conn -> {
            // Proves ownership and row-locks the conversation, as AnswerRepository.begin does.
            if (AnswerSql.touchConversation(conn, start.conversationId(), start.visitorId(), start.startedAt()) == 0) {
                throw new NotFoundException("no conversation " + start.conversationId() + " for this visitor");
            }
            AnswerIds ids = body.run(conn, lastTwo(conn, start.conversationId()), AnswerSql.maxSeq(conn, start.conversationId()));
            // Read in the same transaction: a failed read leaves no placeholder behind, and the read sees the marks.
            List<Message> history = ConversationRepository.messages(conn, start.conversationId());
            return new AnswerIds(ids.conversationId(), ids.userMessageId(), ids.assistantMessageId(), ids.usageId(), history);
        }, () -> "cannot rework conversation " + start.conversationId());
    }

    private static Current lastAnswerOf(List<Current> last) {
        if (last.isEmpty() || !last.get(last.size() - 1).role().equals("assistant")) {
            throw new ConflictException("not_last_answer", "The conversation does not end with an answer.");
        }
        Current answer = last.get(last.size() - 1);
        if (answer.status().equals("streaming")) {
            throw new ConflictException("answer_in_progress", "The last answer is still being written.");
        }
        return answer;
    }

    /** The last two current messages, oldest first. */
    private static List<Current> lastTwo(Connection conn, String conversationId) throws SQLException {
        String sql = "SELECT id, role, status, content FROM message WHERE conversation_id = ? AND replaced_by IS NULL"
                + " ORDER BY seq DESC LIMIT 2";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Current> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(0, new Current(rs.getString("id"), rs.getString("role"), rs.getString("status"), rs.getString("content")));
                }
                return out;
            }
        }
    }

    private static AnswerIds openAnswer(Connection conn, AnswerStart start, String userMessageId, int seq) throws SQLException {
        String assistantId = UUID.randomUUID().toString();
        String usageId = UUID.randomUUID().toString();
        AnswerSql.insertMessage(conn, assistantId, start.conversationId(), seq, "assistant", "", "streaming", start.nodeId(), start.startedAt());
        AnswerSql.insertUsage(conn, usageId, assistantId, start.conversationId(), start);
        return new AnswerIds(start.conversationId(), userMessageId, assistantId, usageId);
    }

    private static void markReplaced(Connection conn, List<String> ids, String by) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE message SET replaced_by = ? WHERE id = ?")) {
            for (String id : ids) {
                ps.setString(1, by);
                ps.setString(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
