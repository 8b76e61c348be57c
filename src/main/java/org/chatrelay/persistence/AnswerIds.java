package org.chatrelay.persistence;

import java.util.List;
import java.util.UUID;

/**
 * The rows an answer opened.
 *
 * @param history the conversation's current messages, read in the transaction that opened the answer (so a failed read
 *                leaves no placeholder behind), ending with the new placeholder; null when the opener did not read it
 */
public record AnswerIds(String conversationId, String userMessageId, String assistantMessageId, String usageId, List<Message> history) {

    public AnswerIds {
        history = history == null ? null : List.copyOf(history);
    }

    public AnswerIds(String conversationId, String userMessageId, String assistantMessageId, String usageId) {
        this(conversationId, userMessageId, assistantMessageId, usageId, null);
    }

    /** New ids for a new conversation's first answer, made before its rows are stored. */
    public static AnswerIds fresh() {
        return new AnswerIds(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
    }
}
