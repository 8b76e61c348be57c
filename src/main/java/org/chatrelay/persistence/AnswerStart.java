package org.chatrelay.persistence;

import java.time.Instant;

/**
 * What {@link AnswerRepository#begin} needs to open an answer.
 *
 * @param conversationId null to create a new conversation
 * @param title          used only when creating a conversation
 * @param arm            null means {@code main}
 * @param gateway        a gateway call's key, end user, dialect and streaming; null for the chat page
 */
public record AnswerStart(String conversationId, String visitorId, String title,
                        String userText, String provider, String arm, String modelRequested, String nodeId, Instant startedAt,
                        GatewayFacts gateway) {

    public AnswerStart(String conversationId, String visitorId, String title, String userText, String provider, String arm,
                     String modelRequested, String nodeId, Instant startedAt) {
        this(conversationId, visitorId, title, userText, provider, arm, modelRequested, nodeId, startedAt, null);
    }
}
