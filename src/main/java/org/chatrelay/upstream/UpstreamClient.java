package org.chatrelay.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.chatrelay.upstream.sse.SseDecoder;
import org.chatrelay.upstream.sse.SseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Streams chat completions from upstream with Jetty's non-blocking {@link HttpClient}: no thread waits on a
 * stream; bytes are decoded as they arrive and reading pauses while the browser side is backed up.
 * One client serves every provider; each request carries its provider's idle timeout.
 */
public final class UpstreamClient implements AutoCloseable {
    private final HttpClient http;
    private final ObjectMapper json;

    /** @param connectTimeout the longest connect timeout of any provider (shorter ones are enforced by the relay's timers) */
    public UpstreamClient(ObjectMapper json, Duration connectTimeout, int maxThreads) {
        this.json = json;
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(Math.max(1, Runtime.getRuntime().availableProcessors()));
        this.http = new HttpClient(new EventLoopTransport(connector));
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(2, maxThreads));
        pool.setName("upstream");
        pool.setDaemon(true);
        http.setExecutor(pool);
        http.setConnectTimeout(connectTimeout.toMillis());
        // One HTTP/1.1 connection per live stream: the limits must not queue streams behind each other.
        http.setMaxConnectionsPerDestination(20_000);
        http.setMaxRequestsQueuedPerDestination(20_000);
        http.setFollowRedirects(false);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "ChatRelay"));
        // A compressed event stream would be buffered by the provider's gzip; ask for identity.
        http.getContentDecoderFactories().clear();
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the upstream HTTP client", e);
        }
    }

    /**
     * Starts one streaming request in the target's dialect; returns at once.
     *
     * @param key the key resolved for this attempt (null: none), so the caller knows which key a 401 refused
     */
    public UpstreamExchange stream(UpstreamTarget target, String key, List<ChatMessage> messages,
                                   StreamHandler handler, ExchangeListener listener) {
        return stream(target, key, messages, Map.of(), handler, listener);
    }

    /**
     * @param fields request members a gateway client set (sampling, {@code max_tokens}), in the target's dialect; they
     *               replace the relay's own, but never the model, messages or streaming
     */
    public UpstreamExchange stream(UpstreamTarget target, String key, List<ChatMessage> messages, Map<String, JsonNode> fields,
                                   StreamHandler handler, ExchangeListener listener) {
        return stream(target, key, messages, fields, null, handler, listener);
    }

    /**
     * @param passThrough a gateway client's own request in the target's dialect, sent as it came apart from the model
     *                    name, streaming and (OpenAI) {@code stream_options}; null to build the body from {@code messages}
     */
    public UpstreamExchange stream(UpstreamTarget target, String key, List<ChatMessage> messages, Map<String, JsonNode> fields,
                                   ObjectNode passThrough, StreamHandler handler, ExchangeListener listener) {
        Request request;
        SseListener dialect;
        switch (target.dialect()) {
            case ANTHROPIC -> {
                request = newRequest(target, "/messages", passThrough != null ? passed(passThrough, target, false)
                        : withFields(AnthropicDialect.body(json, target.model(), target.maxTokens(), target.reasoning().budgetTokens(),
                        messages), fields))
                        .headers(h -> {
                            h.put("anthropic-version", AnthropicDialect.VERSION);
                            if (key != null) {
                                h.put("x-api-key", key);
                            }
                        });
                dialect = passThrough != null ? raw(new AnthropicDialect(json, handler), handler) : new AnthropicDialect(json, handler);
            }
            default -> {
                request = newRequest(target, "/chat/completions", passThrough != null ? passed(passThrough, target, true)
                        : withFields(openAiBody(target.model(), target.reasoning().effort(), messages), fields))
                        .headers(h -> {
                            if (key != null) {
                                h.put(HttpHeader.AUTHORIZATION, "Bearer " + key);
                            }
                        });
                dialect = passThrough != null ? raw(new OpenAiDialect(json, handler), handler) : new OpenAiDialect(json, handler);
            }
        }
        StreamExchange exchange = new StreamExchange(request, new SseDecoder(dialect), handler, listener);
        request.onRequestBegin(r -> listener.onRequestSent())
                .onResponseHeaders(exchange::onHeaders)
                .onResponseContentAsync(exchange::onContent)
                .send(exchange::onComplete);
        return exchange;
    }

    /** The client's body with the provider's model name, always streamed, and usage always asked for (the accounting needs it). */
    private static String passed(ObjectNode client, UpstreamTarget target, boolean openAi) {
        ObjectNode body = client.deepCopy();
        body.put("model", target.model());
        body.put("stream", true);
        if (openAi) {
            ObjectNode options = body.path("stream_options").isObject() ? (ObjectNode) body.get("stream_options") : body.putObject("stream_options");
            options.put("include_usage", true);
        }
        return body.toString();
    }

    /** Hands each event to the handler as it came, then to the dialect. */
    private static SseListener raw(SseListener dialect, StreamHandler handler) {
        return event -> {
            handler.onRawEvent(event);
            dialect.onEvent(event);
        };
    }

    private String withFields(String body, Map<String, JsonNode> fields) {
        if (fields.isEmpty()) {
            return body;
        }
        try {
            ObjectNode tree = (ObjectNode) json.readTree(body);
            fields.forEach(tree::set);
            return tree.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the relay's own request body is not JSON", e);
        }
    }

    private Request newRequest(UpstreamTarget target, String path, String body) {
        return http.newRequest(URI.create(target.baseUrl() + path))
                .method(HttpMethod.POST)
                // An idle timeout, never a whole-request timeout: a healthy long stream must not be cut.
                .idleTimeout(target.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, "text/event-stream"))
                .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
    }

    /** @param reasoningEffort sent as {@code reasoning_effort} when not null */
    String openAiBody(String model, String reasoningEffort, List<ChatMessage> messages) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        if (reasoningEffort != null) {
            body.put("reasoning_effort", reasoningEffort);
        }
        ArrayNode list = body.putArray("messages");
        for (ChatMessage m : messages) {
            list.addObject().put("role", m.role()).put("content", m.content());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body.toString();
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
