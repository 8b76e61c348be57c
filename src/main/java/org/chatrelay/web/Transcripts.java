package org.chatrelay.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.chatrelay.markdown.MarkdownRenderer;
import org.chatrelay.persistence.AnswerThinking;
import org.chatrelay.persistence.ClientMetrics;
import org.chatrelay.persistence.ClientMetricsRepository;
import org.chatrelay.persistence.Conversation;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.Feedback;
import org.chatrelay.persistence.FeedbackRepository;
import org.chatrelay.persistence.HistoryRepository;
import org.chatrelay.persistence.Message;
import org.chatrelay.persistence.ThinkingRepository;
import org.chatrelay.persistence.AnswerRepository;
import org.chatrelay.persistence.UsageRecord;

/** Reads a visitor's {@link Transcript} for the chat page and the conversation API. */
public final class Transcripts {
    private final ConversationRepository conversations;
    private final AnswerRepository answers;
    private final ClientMetricsRepository clientMetrics;
    private final HistoryRepository history;
    private final FeedbackRepository feedback;
    private final ThinkingRepository thinking;
    private final MarkdownRenderer markdown;

    public Transcripts(ConversationRepository conversations, AnswerRepository answers, ClientMetricsRepository clientMetrics,
                       HistoryRepository history, FeedbackRepository feedback, ThinkingRepository thinking,
                       MarkdownRenderer markdown) {
        this.conversations = conversations;
        this.answers = answers;
        this.clientMetrics = clientMetrics;
        this.history = history;
        this.feedback = feedback;
        this.thinking = thinking;
        this.markdown = markdown;
    }

    public Optional<Transcript> load(String id, String visitorId) {
        Optional<Conversation> c = conversations.findOwned(id, visitorId);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        Map<String, UsageRecord> usage = new HashMap<>();
        for (UsageRecord u : answers.usageForConversation(id)) {
            if (u.messageId() != null) {
                usage.put(u.messageId(), u);
            }
        }
        Map<String, ClientMetrics> client = clientMetrics.forConversation(id);
        Set<String> continues = history.continueRequests(id);
        Map<String, Feedback> ratings = feedback.forConversation(id);
        Map<String, AnswerThinking> thoughts = thinking.forConversation(id);
        List<Transcript.MessageView> views = new ArrayList<>();
        for (Message m : conversations.messages(id)) {
            UsageRecord u = usage.get(m.id());
            boolean answer = m.role().equals("assistant");
            views.add(new Transcript.MessageView(m.id(), m.role(), m.content(), m.status(), m.createdAt().toString(),
                    u == null ? null : Transcript.metrics(u, client.get(m.id())), continues.contains(m.id()) ? "continue" : null,
                    answer && !m.status().equals("streaming") ? markdown.toHtml(m.content()) : null, ratings.get(m.id()),
                    thoughts.get(m.id())));
        }
        return Optional.of(new Transcript(c.get(), views, history.replacedCount(id)));
    }
}
