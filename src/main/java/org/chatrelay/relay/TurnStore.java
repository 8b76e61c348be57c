package org.chatrelay.relay;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.chatrelay.persistence.ConversationRepository;
import org.chatrelay.persistence.Message;
import org.chatrelay.persistence.NotFoundException;
import org.chatrelay.persistence.TurnEnd;
import org.chatrelay.persistence.TurnIds;
import org.chatrelay.persistence.TurnRepository;
import org.chatrelay.persistence.TurnStart;
import org.slf4j.LoggerFactory;

/**
 * Where the answer path keeps its turns: the database, always, except with {@code CHATRELAY_PERSISTENCE=off}, a
 * benchmarking and diagnostic mode that measures what storing costs. Off, nothing of a turn is read or written
 * (every message starts a new one-message conversation, a conversation id is unknown, no usage is recorded); the
 * relay otherwise behaves the same: same upstream request, same frames, same timers, same log line and metrics.
 */
public interface TurnStore {

    /** Stores the user's message and the answer's placeholder; throws {@code NotFoundException} for a foreign conversation. */
    TurnIds begin(TurnStart start);

    /** The conversation so far, ending with the user's new message. */
    List<Message> history(TurnIds ids, TurnStart start);

    void finish(TurnEnd end);

    /** Finishes several answers in one transaction; throws if any one cannot be stored (then none is). */
    default void finishAll(List<TurnEnd> ends) {
        ends.forEach(this::finish);
    }

    /** The user's message of a turn, as the first message of a conversation. */
    private static Message userMessage(TurnIds ids, TurnStart start) {
        return new Message(ids.userMessageId(), ids.conversationId(), 1, "user", start.userText(), "sent", start.startedAt());
    }

    /** {@code CHATRELAY_PERSISTENCE}: {@code jdbc} (the default) or {@code off}. */
    static TurnStore from(Settings settings, TurnRepository turns, ConversationRepository conversations) {
        String mode = settings.get("CHATRELAY_PERSISTENCE", "jdbc").toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "jdbc" -> new TurnStore() {
                @Override
                public TurnIds begin(TurnStart start) {
                    return turns.begin(start);
                }

                @Override
                public List<Message> history(TurnIds ids, TurnStart start) {
                    // A new conversation holds just the message begin() stored: one query less before the upstream call.
                    return start.conversationId() == null ? List.of(userMessage(ids, start)) : conversations.messages(ids.conversationId());
                }

                @Override
                public void finish(TurnEnd end) {
                    turns.finish(end);
                }

                @Override
                public void finishAll(List<TurnEnd> ends) {
                    turns.finishAll(ends);
                }
            };
            case "off" -> {
                LoggerFactory.getLogger(TurnStore.class).warn("CHATRELAY_PERSISTENCE=off: answers are neither stored nor continued (benchmarking only)");
                yield new TurnStore() {
                    @Override
                    public TurnIds begin(TurnStart start) {
                        if (start.conversationId() != null) {
                            throw new NotFoundException("CHATRELAY_PERSISTENCE=off keeps no conversations");
                        }
                        return new TurnIds(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                                UUID.randomUUID().toString());
                    }

                    @Override
                    public List<Message> history(TurnIds ids, TurnStart start) {
                        return List.of(userMessage(ids, start));
                    }

                    @Override
                    public void finish(TurnEnd end) {
                        // Nothing is kept in this mode.
                    }
                };
            }
            default -> throw new ConfigException("CHATRELAY_PERSISTENCE must be 'jdbc' or 'off', got '" + mode + "'");
        };
    }
}
