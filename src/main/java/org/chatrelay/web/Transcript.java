package org.chatrelay.web;

import java.math.BigDecimal;
import java.util.List;
import org.chatrelay.persistence.ClientMetrics;
import org.chatrelay.persistence.Conversation;
import org.chatrelay.persistence.Feedback;
import org.chatrelay.persistence.UsageRecord;

/**
 * A visitor's conversation as both the page and the JSON API show it: the current messages (not the versions a
 * regenerate or an edit replaced), each answer with its figures and its server-rendered markdown.
 */
public record Transcript(Conversation conversation, List<MessageView> messages, int replacedCount) {

    /**
     * @param clientTtftMs       the browser's time from Send to the first painted token (the end of the latency chain)
     * @param bufferingSuspected the browser saw tokens arrive in late bursts: something between buffers the stream
     */
    public record Metrics(Integer ttftMs, Integer totalMs, Double tokensPerSecond, String costUsd, String usageSource,
                          Integer promptTokens, Integer completionTokens, String endReason, String errorCode,
                          Integer clientTtftMs, Integer maxLagMs, Boolean bufferingSuspected) {
    }

    /**
     * @param kind {@code continue} for the request to continue the answer before it, else null
     * @param html the answer rendered by {@link org.chatrelay.markdown.MarkdownRenderer}; null for the visitor's own text
     * @param feedback the visitor's rating of an answer, null when not rated
     */
    public record MessageView(String id, String role, String content, String status, String createdAt, Metrics metrics,
                              String kind, String html, Feedback feedback) {
    }

    static Metrics metrics(UsageRecord u, ClientMetrics c) {
        String cost = u.costMicros() == null ? null : BigDecimal.valueOf(u.costMicros(), 6).toPlainString();
        return new Metrics(u.ttftMs(), u.totalMs(), u.tokensPerSecond(), cost, u.usageSource(), u.promptTokens(),
                u.completionTokens(), u.endReason(), u.errorCode(),
                c == null ? null : c.clientTtftMs(), c == null ? null : c.maxLagMs(), c == null ? null : c.bufferingSuspected());
    }
}
