package org.chatrelay.persistence;

import java.time.Instant;

public record Message(String id, String conversationId, int seq, String role, String content, String status, Instant createdAt) {
}
