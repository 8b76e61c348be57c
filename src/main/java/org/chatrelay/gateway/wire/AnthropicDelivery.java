package org.chatrelay.gateway.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import org.chatrelay.config.Dialect;
import org.chatrelay.relay.AnswerRecord;
import org.chatrelay.relay.Outcome;
import org.chatrelay.upstream.sse.SseEvent;

/**
 * An answer as Anthropic's Messages API gives it: {@code message_start}, a {@code thinking} block then a {@code text}
 * block ({@code content_block_start}/{@code _delta}/{@code _stop}), {@code message_delta} with the stop reason and
 * usage, {@code message_stop}; else one {@code message} body. A failure after the first byte is {@code event: error}.
 * Thinking blocks carry an empty signature: the relay does not have the provider's, and a client that sends the
 * block back is refused by {@link GatewayRequest} rather than by the provider.
 *
 * <p>Served by an Anthropic provider, a pass-through call gets the provider's events as they came (tool_use blocks,
 * signatures, stop reasons); {@code message_stop} is this delivery's own, sent once the answer is stored.
 */
public final class AnthropicDelivery extends DialectDelivery {
    /** A comment, not Anthropic's ping event: it may come before message_start, where an SDK expects no event. */
    private static final byte[] PING = Endings.utf8(": ping\n\n");
    /** The open content block's type ({@code thinking} or {@code text}), null before the first. */
    private String block;
    private int index = -1;

    public AnthropicDelivery(ObjectMapper json, boolean streaming, String model, boolean passThrough) {
        super(Dialect.ANTHROPIC, json, streaming, model, passThrough, ResponseId::anthropic, PING);
    }

    @Override
    public byte[] raw(SseEvent event) {
        if (!raw || event.type().equals("message_stop")) {
            return null;
        }
        return Endings.utf8("event: " + event.type() + "\ndata: " + event.data() + "\n\n");
    }

    private byte[] begin() {
        begun = true;
        ObjectNode start = json.createObjectNode().put("type", "message_start");
        ObjectNode message = message(start.putObject("message"));
        message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
        return event("message_start", start);
    }

    @Override
    public byte[] text(String piece) {
        return streaming ? delta("text", "text_delta", "text", piece) : null;
    }

    @Override
    public byte[] reasoning(String piece) {
        return streaming ? delta("thinking", "thinking_delta", "thinking", piece) : null;
    }

    @Override
    public byte[] terminal(HttpServletResponse response, Outcome o, AnswerRecord r) {
        boolean ok = Endings.answered(o, r);
        if (!streaming) {
            if (!ok) {
                return Endings.failed(response, o, r, Dialect.ANTHROPIC);
            }
            Endings.json(response, HttpServletResponse.SC_OK);
            ObjectNode body = message(json.createObjectNode());
            ArrayNode content = body.putArray("content");
            if (!o.thinking().text().isEmpty()) {
                content.addObject().put("type", "thinking").put("thinking", o.thinking().text()).put("signature", "");
            }
            content.addObject().put("type", "text").put("text", o.text());
            body.put("stop_reason", Endings.anthropicStop(o));
            body.set("usage", usage(r));
            return Endings.utf8(body.toString());
        }
        if (!ok) {
            return event("error", Endings.error(o, r).body(Dialect.ANTHROPIC));
        }
        if (raw) {
            return event("message_stop", json.createObjectNode().put("type", "message_stop"));
        }
        byte[] out = begun ? closeBlock() : begin();
        ObjectNode delta = json.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", Endings.anthropicStop(o)).putNull("stop_sequence");
        delta.set("usage", usage(r));
        out = concat(out, event("message_delta", delta));
        return concat(out, event("message_stop", json.createObjectNode().put("type", "message_stop")));
    }

    private ObjectNode message(ObjectNode m) {
        m.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        m.putArray("content");
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        return m;
    }

    private ObjectNode usage(AnswerRecord r) {
        return json.createObjectNode().put("input_tokens", r.promptTokens() == null ? 0 : r.promptTokens())
                .put("output_tokens", r.completionTokens() == null ? 0 : r.completionTokens());
    }

    /** A delta of the given block type, opening that block (and closing the previous one) first when needed. */
    private byte[] delta(String type, String deltaType, String field, String piece) {
        if (raw) {
            return null;
        }
        byte[] out = begun ? new byte[0] : begin();
        if (!type.equals(block)) {
            out = concat(out, closeBlock());
            block = type;
            index++;
            ObjectNode start = json.createObjectNode().put("type", "content_block_start").put("index", index);
            ObjectNode cb = start.putObject("content_block").put("type", type).put(field, "");
            if (type.equals("thinking")) {
                cb.put("signature", "");
            }
            out = concat(out, event("content_block_start", start));
        }
        ObjectNode d = json.createObjectNode().put("type", "content_block_delta").put("index", index);
        d.putObject("delta").put("type", deltaType).put(field, piece);
        return concat(out, event("content_block_delta", d));
    }

    private byte[] closeBlock() {
        if (block == null) {
            return new byte[0];
        }
        block = null;
        return event("content_block_stop", json.createObjectNode().put("type", "content_block_stop").put("index", index));
    }

    private static byte[] event(String name, ObjectNode data) {
        return Endings.utf8("event: " + name + "\ndata: " + data + "\n\n");
    }
}
