package org.chatrelay.persistence;

import java.util.List;

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
}
