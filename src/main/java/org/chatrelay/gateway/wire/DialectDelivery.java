package org.chatrelay.gateway.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.chatrelay.config.Dialect;
import org.chatrelay.relay.Delivery;
import org.chatrelay.relay.Outcome;

/**
 * What the two gateway deliveries share: the client's dialect, streaming or one JSON body, pass-through while the
 * attempt's provider speaks the client's dialect, the response id, keep-alives and refusals in the client's shape. Each
 * subclass encodes the answer's pieces and its end in its own dialect.
 */
abstract class DialectDelivery implements Delivery {
    final ObjectMapper json;
    final boolean streaming;
    /** The model as the client named it, echoed in every chunk or message. */
    final String model;
    private final Dialect dialect;
    private final boolean passThrough;
    private final UnaryOperator<String> responseId;
    private final byte[] keepAlive;
    /** The answer's id in the dialect's form, set when the response opens. */
    String id;
    /** The current attempt's provider speaks the client's dialect and the call passes through: its events go out as they came. */
    boolean raw;
    /** A built stream's first event went out (sent before the first content, not at open). */
    boolean begun;

    /**
     * @param responseId the answer's message id in the dialect's form
     * @param keepAlive  what a streaming response sends while nothing else is sent
     */
    DialectDelivery(Dialect dialect, ObjectMapper json, boolean streaming, String model, boolean passThrough,
                    UnaryOperator<String> responseId, byte[] keepAlive) {
        this.dialect = dialect;
        this.json = json;
        this.streaming = streaming;
        this.model = model;
        this.passThrough = passThrough;
        this.responseId = responseId;
        this.keepAlive = keepAlive;
    }

    @Override
    public final byte[] open(HttpServletResponse response, String conversationId, String messageId, String userMessageId,
                             String model, String provider) {
        id = responseId.apply(messageId);
        response.setHeader(ResponseId.HEADER, messageId);
        if (streaming) {
            Delivery.eventStream(response);
        }
        return new byte[0];
    }

    @Override
    public final void from(Dialect upstream) {
        raw = passThrough && streaming && upstream == dialect;
    }

    @Override
    public final boolean toolCallsPassed() {
        return raw;
    }

    @Override
    public final byte[] heartbeat() {
        return streaming ? keepAlive : null;
    }

    @Override
    public final void refuse(HttpServletResponse response, Outcome o, String conversationId) {
        Endings.refuse(response, Endings.error(o, null), dialect);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
