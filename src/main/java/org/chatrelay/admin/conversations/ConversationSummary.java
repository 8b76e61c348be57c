package org.chatrelay.admin.conversations;

import java.time.Instant;

/** One line of the admin conversation list. */
public record ConversationSummary(String id, String visitorId, String title, String model, Instant createdAt, Instant updatedAt,
                                  long answers, long costMicros) {
}
