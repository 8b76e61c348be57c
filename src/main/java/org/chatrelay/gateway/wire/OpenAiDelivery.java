package org.chatrelay.gateway.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import org.chatrelay.config.Dialect;
import org.chatrelay.relay.AnswerRecord;
import org.chatrelay.relay.Outcome;
import org.chatrelay.upstream.sse.SseEvent;

/**
 * An answer as OpenAI's {@code chat.completions} gives it: {@code chat.completion.chunk}s ending in {@code data: [DONE]}
 * when streaming, else one {@code chat.completion} body. Usage is always requested upstream (for the accounting) and
 * forwarded in a last chunk only when the client set {@code stream_options.include_usage}. A failure after the first
 * byte is a final {@code data: {"error":…}} without {@code [DONE]}, which the SDKs raise as an exception.
 *
 * <p>Served by an OpenAI-dialect provider, a pass-through call gets the provider's chunks as they came (ids, tool-call
 * deltas, logprobs, finish reasons), less the usage it did not ask for; {@code [DONE]} is this delivery's own, sent
 * once the answer is stored. From a provider of the other dialect the chunks are built from the relay's reading.
 */
public final class OpenAiDelivery extends DialectDelivery {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final boolean includeUsage;
    private final long created = System.currentTimeMillis() / 1000;

    /** @param model the model as the client named it, echoed in every chunk */
    public OpenAiDelivery(ObjectMapper json, boolean streaming, boolean includeUsage, String model, boolean passThrough) {
        super(Dialect.OPENAI, json, streaming, model, passThrough, ResponseId::openAi, KEEP_ALIVE);
        this.includeUsage = includeUsage;
    }

    @Override
    public byte[] raw(SseEvent event) {
        String data = event.data();
        if (!raw || data.strip().equals("[DONE]")) {
            return null;
        }
        if (!includeUsage && data.contains("\"usage\"")) {
            // Asked upstream for the accounting only: a usage-only chunk is dropped, usage beside choices removed.
            try {
                ObjectNode chunk = (ObjectNode) json.readTree(data);
                if (chunk.hasNonNull("usage")) {
                    if (chunk.path("choices").isEmpty()) {
                        return null;
                    }
                    chunk.remove("usage");
                    return frame(chunk);
                }
            } catch (JsonProcessingException | ClassCastException e) {
                // Not a JSON object: passed on as it came, the relay's own reading reports it.
            }
        }
        return Endings.utf8("data: " + data + "\n\n");
    }

    @Override
    public byte[] text(String piece) {
        return built(json.createObjectNode().put("content", piece));
    }

    @Override
    public byte[] reasoning(String piece) {
        return built(json.createObjectNode().put("reasoning_content", piece));
    }

    /** A chunk of a built stream, after the role chunk when it is the first. */
    private byte[] built(ObjectNode delta) {
        if (!streaming || raw) {
            return null;
        }
        byte[] chunk = frame(chunk(delta, null));
        return begun ? chunk : concat(begin(), chunk);
    }

    private byte[] begin() {
        begun = true;
        return frame(chunk(json.createObjectNode().put("role", "assistant").put("content", ""), null));
    }

    @Override
    public byte[] terminal(HttpServletResponse response, Outcome o, AnswerRecord r) {
        boolean ok = Endings.answered(o, r);
        if (!streaming) {
            if (!ok) {
                return Endings.failed(response, o, r, Dialect.OPENAI);
            }
            Endings.json(response, HttpServletResponse.SC_OK);
            ObjectNode body = head("chat.completion");
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", o.text());
            if (!o.thinking().text().isEmpty()) {
                message.put("reasoning_content", o.thinking().text());
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", Endings.openAiFinish(o));
            body.set("usage", usage(r));
            return Endings.utf8(body.toString());
        }
        if (!ok) {
            return frame(Endings.error(o, r).body(Dialect.OPENAI));
        }
        if (raw) {
            return DONE;
        }
        ObjectNode last = chunk(json.createObjectNode(), Endings.openAiFinish(o));
        byte[] finish = begun ? frame(last) : concat(begin(), frame(last));
        if (!includeUsage) {
            return concat(finish, DONE);
        }
        ObjectNode usage = head("chat.completion.chunk");
        usage.putArray("choices");
        usage.set("usage", usage(r));
        return concat(concat(finish, frame(usage)), DONE);
    }

    private ObjectNode usage(AnswerRecord r) {
        ObjectNode u = json.createObjectNode();
        int in = r.promptTokens() == null ? 0 : r.promptTokens();
        int out = r.completionTokens() == null ? 0 : r.completionTokens();
        u.put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
        if (r.reasoningTokens() != null) {
            u.putObject("completion_tokens_details").put("reasoning_tokens", r.reasoningTokens());
        }
        return u;
    }

    private ObjectNode head(String object) {
        ObjectNode c = json.createObjectNode();
        c.put("id", id).put("object", object).put("created", created).put("model", model);
        return c;
    }

    private ObjectNode chunk(ObjectNode delta, String finish) {
        ObjectNode c = head("chat.completion.chunk");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        return c;
    }

    private static byte[] frame(ObjectNode data) {
        return Endings.utf8("data: " + data + "\n\n");
    }
}
