package org.chatrelay.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.chatrelay.persistence.AnswerThinking;
import org.chatrelay.persistence.AttemptRow;
import org.chatrelay.persistence.AnswerEnd;

/**
 * One spooled answer per line: {@code <crc32 of the JSON, 8 hex digits> <JSON of the AnswerEnd>\n}. The checksum tells a
 * line a crash cut short (or a torn page) from a whole one; the JSON names every field, so a spool written by one
 * version is read by the next.
 */
final class SpoolCodec {
    private final ObjectMapper json;

    SpoolCodec(ObjectMapper json) {
        this.json = json;
    }

    byte[] encode(AnswerEnd e) {
        ObjectNode n = json.createObjectNode();
        n.put("usageId", e.usageId());
        n.put("messageId", e.assistantMessageId());
        n.put("conversationId", e.conversationId());
        n.put("content", e.content());
        n.put("endReason", e.endReason());
        n.put("finishReason", e.finishReason());
        n.put("errorCode", e.errorCode());
        n.put("modelReported", e.modelReported());
        n.put("promptTokens", e.promptTokens());
        n.put("completionTokens", e.completionTokens());
        n.put("usageSource", e.usageSource());
        n.put("costMicros", e.costMicros());
        n.put("ttftMs", e.ttftMs());
        n.put("totalMs", e.totalMs());
        n.put("tokensPerSecond", e.tokensPerSecond());
        n.put("maxGapMs", e.maxGapMs());
        n.put("attempts", e.attempts());
        n.put("endedAt", e.endedAt() == null ? null : e.endedAt().toString());
        n.put("provider", e.provider());
        n.put("noDone", e.noDone());
        if (e.thinking() != null) {
            ObjectNode t = n.putObject("thinking");
            t.put("reasoning", e.thinking().reasoning());
            t.put("firstReasoningMs", e.thinking().firstReasoningMs());
            t.put("thinkingMs", e.thinking().thinkingMs());
            t.put("reasoningTokens", e.thinking().reasoningTokens());
            t.put("reasoningSource", e.thinking().reasoningSource());
        }
        ArrayNode log = n.putArray("attemptLog");
        for (AttemptRow a : e.attemptLog()) {
            ObjectNode r = log.addObject();
            r.put("number", a.number());
            r.put("provider", a.provider());
            r.put("model", a.model());
            r.put("outcome", a.outcome());
            r.put("httpStatus", a.httpStatus());
            r.put("errorCode", a.errorCode());
            r.put("waitedMs", a.waitedMs());
            r.put("startedAt", a.startedAt().toString());
            r.put("durationMs", a.durationMs());
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(n);
        } catch (IOException e1) {
            throw new IllegalStateException("cannot encode answer " + e.assistantMessageId(), e1);
        }
        // JSON escapes control characters, so the body holds no line feed and one line is one answer.
        byte[] head = String.format("%08x ", crc(body, 0, body.length)).getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, line, 0, head.length);
        System.arraycopy(body, 0, line, head.length, body.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** The answer of one line (without its line feed), or null when the line is damaged. */
    AnswerEnd decode(byte[] buf, int from, int to) {
        if (to - from < 10 || buf[from + 8] != ' ') {
            return null;
        }
        long expected;
        try {
            expected = Long.parseLong(new String(buf, from, 8, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        if (crc(buf, from + 9, to - from - 9) != expected) {
            return null;
        }
        try {
            JsonNode n = json.readTree(buf, from + 9, to - from - 9);
            List<AttemptRow> log = new ArrayList<>();
            for (JsonNode r : n.path("attemptLog")) {
                log.add(new AttemptRow(r.get("number").asInt(), text(r, "provider"), text(r, "model"), text(r, "outcome"),
                        integer(r, "httpStatus"), text(r, "errorCode"), r.get("waitedMs").asInt(),
                        Instant.parse(r.get("startedAt").asText()), r.get("durationMs").asInt()));
            }
            String endedAt = text(n, "endedAt");
            return new AnswerEnd(text(n, "usageId"), text(n, "messageId"), text(n, "conversationId"), text(n, "content"),
                    text(n, "endReason"), text(n, "finishReason"), text(n, "errorCode"), text(n, "modelReported"),
                    integer(n, "promptTokens"), integer(n, "completionTokens"), text(n, "usageSource"),
                    n.path("costMicros").isNull() ? null : n.get("costMicros").asLong(), integer(n, "ttftMs"),
                    integer(n, "totalMs"), n.path("tokensPerSecond").isNull() ? null : n.get("tokensPerSecond").asDouble(),
                    integer(n, "maxGapMs"), n.get("attempts").asInt(), endedAt == null ? null : Instant.parse(endedAt),
                    text(n, "provider"), log, n.path("noDone").asBoolean(false), thinking(n.get("thinking")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static AnswerThinking thinking(JsonNode t) {
        return t == null || t.isNull() ? null : new AnswerThinking(text(t, "reasoning"), integer(t, "firstReasoningMs"),
                integer(t, "thinkingMs"), integer(t, "reasoningTokens"), text(t, "reasoningSource"));
    }

    private static long crc(byte[] buf, int off, int len) {
        CRC32 c = new CRC32();
        c.update(buf, off, len);
        return c.getValue();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }
}
