package org.chatrelay.persistence;

public record TurnIds(String conversationId, String userMessageId, String assistantMessageId, String usageId) {
}
