package org.chatrelay.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast path of {@link OpenAiDialect}: reads an ordinary streaming chunk with Jackson's streaming parser instead
 * of building a tree. A tree costs a map per JSON object, and at fifty chunks a second per stream that garbage was
 * most of the relay's allocation, hence its collection pauses. Only what the dialect uses is kept; everything it
 * would act on in an unusual way (an {@code error} key, a non-integer {@code index} or token count, malformed JSON)
 * makes {@link #parse} return null, and the dialect's tree-based code handles that chunk exactly as before.
 */
final class OpenAiChunk {
    /** What one choice with index 0 carried. */
    record Choice(String reasoning, String content, boolean toolCall, String finishReason) {
    }

    /** The delta fields that carry reasoning, in the order {@link OpenAiDialect} prefers them. */
    static final List<String> REASONING_FIELDS = List.of("reasoning_content", "reasoning");

    String model;
    final List<Choice> choices = new ArrayList<>(1);
    boolean usage;
    Integer promptTokens;
    Integer completionTokens;
    Integer reasoningTokens;

    private OpenAiChunk() {
    }

    /** The chunk, or null when it needs the full tree-based reading. */
    static OpenAiChunk parse(JsonFactory factory, String data) {
        try (JsonParser p = factory.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            OpenAiChunk c = new OpenAiChunk();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                boolean ok = switch (field) {
                    case "error" -> value == JsonToken.VALUE_NULL;
                    case "model" -> {
                        c.model = value == JsonToken.VALUE_STRING ? p.getText() : null;
                        yield true;
                    }
                    case "choices" -> {
                        c.choices.clear();
                        yield value == JsonToken.START_ARRAY ? c.choices(p) : skip(p);
                    }
                    case "usage" -> {
                        c.usage = false;
                        yield value == JsonToken.START_OBJECT ? c.usage(p) : skip(p);
                    }
                    default -> skip(p);
                };
                if (!ok) {
                    return null;
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private boolean choices(JsonParser p) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                return false;
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            int index = 0;
            String content = null;
            String reasoningContent = null;
            String reasoning = null;
            boolean tool = false;
            String finish = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                switch (field) {
                    case "index" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                            return false;
                        }
                        index = p.getIntValue();
                    }
                    case "delta" -> {
                        if (value == JsonToken.START_OBJECT) {
                            for (String d = p.nextFieldName(); d != null; d = p.nextFieldName()) {
                                JsonToken v = p.nextToken();
                                if (d.equals("content")) {
                                    content = v == JsonToken.VALUE_STRING ? p.getText() : null;
                                } else if (d.equals("reasoning_content")) {
                                    reasoningContent = v == JsonToken.VALUE_STRING ? p.getText() : null;
                                } else if (d.equals("reasoning")) {
                                    reasoning = v == JsonToken.VALUE_STRING ? p.getText() : null;
                                } else if (d.equals("tool_calls") && v == JsonToken.START_ARRAY) {
                                    tool = false;
                                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                                        if (e == null) {
                                            return false;
                                        }
                                        tool = true;
                                        p.skipChildren();
                                    }
                                } else if (d.equals("tool_calls")) {
                                    tool = false;
                                }
                                // Skips an object or array value; a no-op after a scalar or the array just read.
                                p.skipChildren();
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "finish_reason" -> finish = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
            // A chat UI shows one answer: choices other than index 0 (n > 1) are ignored.
            if (index == 0) {
                String thought = reasoningContent != null && !reasoningContent.isEmpty() ? reasoningContent : reasoning;
                choices.add(new Choice(thought, content, tool, finish));
            }
        }
        return true;
    }

    private boolean usage(JsonParser p) throws IOException {
        usage = true;
        promptTokens = null;
        completionTokens = null;
        reasoningTokens = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken value = p.nextToken();
            if (field.equals("prompt_tokens") || field.equals("completion_tokens")) {
                Integer n;
                if (value == JsonToken.VALUE_NULL) {
                    n = null;
                } else if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                    n = p.getIntValue();
                } else {
                    return false;
                }
                if (field.equals("prompt_tokens")) {
                    promptTokens = n;
                } else {
                    completionTokens = n;
                }
            } else if (field.equals("completion_tokens_details") && value == JsonToken.START_OBJECT) {
                if (!details(p)) {
                    return false;
                }
            } else {
                p.skipChildren();
            }
        }
        return true;
    }

    private boolean details(JsonParser p) throws IOException {
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken value = p.nextToken();
            if (field.equals("reasoning_tokens") && value != JsonToken.VALUE_NULL) {
                if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                    return false;
                }
                reasoningTokens = p.getIntValue();
            } else {
                p.skipChildren();
            }
        }
        return true;
    }

    private static boolean skip(JsonParser p) throws IOException {
        p.skipChildren();
        return true;
    }
}
