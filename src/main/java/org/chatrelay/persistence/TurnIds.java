package org.chatrelay.persistence;

import java.util.List;

/**
 * The rows a turn opened.
 *
 * @param history the conversation's current messages, read in the transaction that opened the turn (so a failed read
 *                leaves no placeholder behind), ending with the new placeholder; null when the opener did not read it
 */
public record TurnIds(String conversationId, String userMessageId, String assistantMessageId, String usageId, List<Message> history) {

    public TurnIds {
        history = history == null ? null : List.copyOf(history);
    }

    public TurnIds(String conversationId, String userMessageId, String assistantMessageId, String usageId) {
        this(conversationId, userMessageId, assistantMessageId, usageId, null);
    }
}
