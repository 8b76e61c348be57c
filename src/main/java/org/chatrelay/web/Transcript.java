package org.chatrelay.web;

import java.math.BigDecimal;
import java.util.List;
import org.chatrelay.persistence.AnswerThinking;
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
     * @param thinking the model's reasoning (shown as text, folded) and its figures; null when it showed none
     */
    public record MessageView(String id, String role, String content, String status, String createdAt, Metrics metrics,
                              String kind, String html, Feedback feedback, AnswerThinking thinking) {

        /**
         * Where the page resumes an answer still streaming: {@code <R>.<T>}, the reasoning and text characters the
         * page renders (UTF-16 code units, as the event ids count them). Counted here because the HTML parser turns a
         * CR of the text into LF and the page could not count it back.
         */
        public String shown() {
            String reasoning = thinking == null ? null : thinking.reasoning();
            return (reasoning == null ? 0 : reasoning.length()) + "." + (content == null ? 0 : content.length());
        }

        /** The folded thinking section's title; the same words as thoughtFor() in js/thinking.js. */
        public String thoughtFor() {
            Integer ms = thinking == null ? null : thinking.thinkingMs();
            if (ms == null) {
                return "Thought";
            }
            long tenths = Math.round(ms / 100.0);
            return "Thought for " + (ms < 1000 ? tenths / 10 + "." + tenths % 10 : String.valueOf(Math.round(ms / 1000.0))) + " s";
        }
    }

    static Metrics metrics(UsageRecord u, ClientMetrics c) {
        String cost = u.costMicros() == null ? null : BigDecimal.valueOf(u.costMicros(), 6).toPlainString();
        return new Metrics(u.ttftMs(), u.totalMs(), u.tokensPerSecond(), cost, u.usageSource(), u.promptTokens(),
                u.completionTokens(), u.endReason(), u.errorCode(),
                c == null ? null : c.clientTtftMs(), c == null ? null : c.maxLagMs(), c == null ? null : c.bufferingSuspected());
    }
}
