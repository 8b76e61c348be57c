package org.chatrelay.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.persistence.Conversation;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.Message;
import org.chatrelay.persistence.TurnRepository;
import org.chatrelay.persistence.UsageRecord;

/** A visitor's conversation with each answer's figures, as both the page and the JSON API show it. */
public record Transcript(Conversation conversation, List<MessageView> messages) {

    public record Metrics(Integer ttftMs, Integer totalMs, Double tokensPerSecond, String costUsd, String usageSource,
                          Integer promptTokens, Integer completionTokens, String endReason, String errorCode) {
    }

    public record MessageView(String id, String role, String content, String status, String createdAt, Metrics metrics) {
    }

    public static Optional<Transcript> load(ConversationRepository conversations, TurnRepository turns, String id, String visitorId) {
        Optional<Conversation> c = conversations.findOwned(id, visitorId);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        Map<String, UsageRecord> usage = new HashMap<>();
        for (UsageRecord u : turns.usageForConversation(id)) {
            if (u.messageId() != null) {
                usage.put(u.messageId(), u);
            }
        }
        List<MessageView> views = new ArrayList<>();
        for (Message m : conversations.messages(id)) {
            UsageRecord u = usage.get(m.id());
            views.add(new MessageView(m.id(), m.role(), m.content(), m.status(), m.createdAt().toString(), u == null ? null : metrics(u)));
        }
        return Optional.of(new Transcript(c.get(), views));
    }

    private static Metrics metrics(UsageRecord u) {
        String cost = u.costMicros() == null ? null : BigDecimal.valueOf(u.costMicros(), 6).toPlainString();
        return new Metrics(u.ttftMs(), u.totalMs(), u.tokensPerSecond(), cost, u.usageSource(), u.promptTokens(),
                u.completionTokens(), u.endReason(), u.errorCode());
    }
}
