package org.chatrelay.web;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.chatrelay.app.App;
import org.chatrelay.persistence.AnswerThinking;
import org.chatrelay.persistence.ClientMetrics;
import org.chatrelay.persistence.Conversation;
import org.chatrelay.persistence.Feedback;
import org.chatrelay.persistence.Message;
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

    public static Optional<Transcript> load(App app, String id, String visitorId) {
        Optional<Conversation> c = app.conversations().findOwned(id, visitorId);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        Map<String, UsageRecord> usage = new HashMap<>();
        for (UsageRecord u : app.turns().usageForConversation(id)) {
            if (u.messageId() != null) {
                usage.put(u.messageId(), u);
            }
        }
        Map<String, ClientMetrics> client = app.clientMetrics().forConversation(id);
        Set<String> continues = app.history().continueRequests(id);
        Map<String, Feedback> ratings = app.feedback().forConversation(id);
        Map<String, AnswerThinking> thinking = app.thinking().forConversation(id);
        List<MessageView> views = new ArrayList<>();
        for (Message m : app.conversations().messages(id)) {
            UsageRecord u = usage.get(m.id());
            boolean answer = m.role().equals("assistant");
            views.add(new MessageView(m.id(), m.role(), m.content(), m.status(), m.createdAt().toString(),
                    u == null ? null : metrics(u, client.get(m.id())), continues.contains(m.id()) ? "continue" : null,
                    answer && !m.status().equals("streaming") ? app.markdown().toHtml(m.content()) : null, ratings.get(m.id()),
                    thinking.get(m.id())));
        }
        return Optional.of(new Transcript(c.get(), views, app.history().replacedCount(id)));
    }

    static Metrics metrics(UsageRecord u, ClientMetrics c) {
        String cost = u.costMicros() == null ? null : BigDecimal.valueOf(u.costMicros(), 6).toPlainString();
        return new Metrics(u.ttftMs(), u.totalMs(), u.tokensPerSecond(), cost, u.usageSource(), u.promptTokens(),
                u.completionTokens(), u.endReason(), u.errorCode(),
                c == null ? null : c.clientTtftMs(), c == null ? null : c.maxLagMs(), c == null ? null : c.bufferingSuspected());
    }
}
