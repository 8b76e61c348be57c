package org.chatrelay.gateway.wire;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ids a gateway response carries for its answer (the answer's message id): OpenAI's {@code chatcmpl-<id>},
 * Anthropic's {@code msg_<id without dashes>}, and the {@link #HEADER} on every response, because a passed-through
 * stream carries the provider's own ids in its body. {@code POST /v1/feedback} takes any of the three back.
 */
public final class ResponseId {
    public static final String HEADER = "X-ChatRelay-Response-Id";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{32}");

    private ResponseId() {
    }

    static String openAi(String messageId) {
        return "chatcmpl-" + messageId;
    }

    static String anthropic(String messageId) {
        return "msg_" + messageId.replace("-", "");
    }

    /** The answer's message id in any of the three forms, or empty when the id is none of them (a provider's own id). */
    public static Optional<String> messageId(String presented) {
        String id = presented.strip().toLowerCase(Locale.ROOT);
        if (id.startsWith("chatcmpl-")) {
            id = id.substring("chatcmpl-".length());
        } else if (id.startsWith("msg_") && HEX.matcher(id.substring(4)).matches()) {
            String h = id.substring(4);
            id = h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20);
        }
        return UUID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }
}
