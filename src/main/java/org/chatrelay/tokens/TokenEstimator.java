package org.chatrelay.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import org.chatrelay.upstream.ChatMessage;

/**
 * Counts tokens with a real BPE tokenizer (o200k_base, the GPT-4o family's) when the provider reports no usage,
 * e.g. for a cut or stopped stream. For other model families it is an estimate, and is stored flagged as such.
 */
public final class TokenEstimator {
    /** OpenAI's documented chat overhead: a few tokens per message for the role and separators, and 3 to prime the reply. */
    private static final int PER_MESSAGE = 4;
    private static final int REPLY_PRIMER = 3;
    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    public int countPrompt(List<ChatMessage> messages) {
        int total = REPLY_PRIMER;
        for (ChatMessage m : messages) {
            total += PER_MESSAGE + count(m.content());
        }
        return total;
    }
}
