package org.chatrelay.persistence;

import java.time.Instant;

public record Conversation(String id, String visitorId, String title, String model, Instant createdAt, Instant updatedAt) {
}
