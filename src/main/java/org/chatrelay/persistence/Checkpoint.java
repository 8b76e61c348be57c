package org.chatrelay.persistence;

/**
 * The partial text of a streaming answer at one moment, to be written over its placeholder row.
 *
 * @param reasoning null when the model showed none
 */
public record Checkpoint(String messageId, String content, String reasoning) {
}
