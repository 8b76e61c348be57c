package org.chatrelay.relay;

import java.util.List;
import java.util.Locale;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.Message;
import org.chatrelay.persistence.NotFoundException;
import org.chatrelay.persistence.AnswerEnd;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.AnswerRepository;
import org.chatrelay.persistence.AnswerStart;
import org.slf4j.LoggerFactory;

/**
 * Where the answer path keeps its answers: the database, always, except with {@code CHATRELAY_PERSISTENCE=off}, a
 * benchmarking and diagnostic mode that measures what storing costs. Off, nothing of an answer is read or written
 * (every message starts a new one-message conversation, a conversation id is unknown, no usage is recorded); the
 * relay otherwise behaves the same: same upstream request, same frames, same timers, same log line and metrics.
 */
public interface AnswerStore {

    /** Stores the user's message and the answer's placeholder; throws {@code NotFoundException} for a foreign conversation. */
    AnswerIds begin(AnswerStart start);

    /**
     * Stores a new conversation's first message and the answer's placeholder under ids made beforehand: what
     * {@link RelayService} runs while the answer already goes upstream.
     */
    void begin(AnswerStart start, AnswerIds ids);

    /** The conversation so far, ending with the user's new message. */
    List<Message> history(AnswerIds ids, AnswerStart start);

    void finish(AnswerEnd end);

    /** Finishes several answers in one transaction; throws if any one cannot be stored (then none is). */
    default void finishAll(List<AnswerEnd> ends) {
        ends.forEach(this::finish);
    }

    /** False with {@code CHATRELAY_PERSISTENCE=off}: then no checkpoint is written either. */
    default boolean persistent() {
        return true;
    }

    /** The user's message of an answer, as the first message of a conversation. */
    private static Message userMessage(AnswerIds ids, AnswerStart start) {
        return new Message(ids.userMessageId(), ids.conversationId(), 1, "user", start.userText(), "sent", start.startedAt());
    }

    /** {@code CHATRELAY_PERSISTENCE}: {@code jdbc} (the default) or {@code off}. */
    static AnswerStore from(Settings settings, AnswerRepository answers, ConversationRepository conversations) {
        String mode = settings.get("CHATRELAY_PERSISTENCE", "jdbc").toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "jdbc" -> new AnswerStore() {
                @Override
                public AnswerIds begin(AnswerStart start) {
                    return answers.begin(start);
                }

                @Override
                public void begin(AnswerStart start, AnswerIds ids) {
                    answers.begin(start, ids);
                }

                @Override
                public List<Message> history(AnswerIds ids, AnswerStart start) {
                    // A new conversation holds just the message begin() stored: one query less before the upstream call.
                    return start.conversationId() == null ? List.of(userMessage(ids, start)) : conversations.messages(ids.conversationId());
                }

                @Override
                public void finish(AnswerEnd end) {
                    answers.finish(end);
                }

                @Override
                public void finishAll(List<AnswerEnd> ends) {
                    answers.finishAll(ends);
                }
            };
            case "off" -> {
                LoggerFactory.getLogger(AnswerStore.class).warn("CHATRELAY_PERSISTENCE=off: answers are neither stored nor continued (benchmarking only)");
                yield new AnswerStore() {
                    @Override
                    public AnswerIds begin(AnswerStart start) {
                        if (start.conversationId() != null) {
                            throw new NotFoundException("CHATRELAY_PERSISTENCE=off keeps no conversations");
                        }
                        return AnswerIds.fresh();
                    }

                    @Override
                    public void begin(AnswerStart start, AnswerIds ids) {
                        // Nothing is kept in this mode.
                    }

                    @Override
                    public List<Message> history(AnswerIds ids, AnswerStart start) {
                        return List.of(userMessage(ids, start));
                    }

                    @Override
                    public void finish(AnswerEnd end) {
                        // Nothing is kept in this mode.
                    }

                    @Override
                    public boolean persistent() {
                        return false;
                    }
                };
            }
            default -> throw new ConfigException("CHATRELAY_PERSISTENCE must be 'jdbc' or 'off', got '" + mode + "'");
        };
    }
}
