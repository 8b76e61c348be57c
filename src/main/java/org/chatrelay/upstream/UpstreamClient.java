package org.chatrelay.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.chatrelay.upstream.sse.SseDecoder;
import org.chatrelay.upstream.sse.SseException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Streams chat completions from upstream with Jetty's non-blocking {@link HttpClient}: no thread waits on a
 * stream; bytes are decoded as they arrive and reading pauses while the browser side is backed up.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final int MAX_ERROR_BODY = 8 * 1024;
    private final HttpClient http;
    private final ObjectMapper json;

    public UpstreamClient(ObjectMapper json, Duration connectTimeout, int maxThreads) {
        this.json = json;
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        this.http = new HttpClient(new HttpClientTransportOverHTTP(connector));
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

    /** Starts an OpenAI-compatible streaming request; returns at once. */
    public UpstreamExchange streamOpenAi(UpstreamTarget target, List<ChatMessage> messages, Duration idleTimeout,
                                         StreamHandler handler, ExchangeListener listener) {
        Request request = http.newRequest(URI.create(target.baseUrl() + "/chat/completions"))
                .method(HttpMethod.POST)
                .idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> {
                    h.put(HttpHeader.ACCEPT, "text/event-stream");
                    target.key().current().ifPresent(k -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + k));
                })
                .body(new StringRequestContent("application/json", openAiBody(target.model(), messages), StandardCharsets.UTF_8));
        return start(request, new SseDecoder(new OpenAiDialect(json, handler)), handler, listener);
    }

    String openAiBody(String model, List<ChatMessage> messages) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        ArrayNode list = body.putArray("messages");
        for (ChatMessage m : messages) {
            list.addObject().put("role", m.role()).put("content", m.content());
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body.toString();
    }

    private UpstreamExchange start(Request request, SseDecoder decoder, StreamHandler handler, ExchangeListener listener) {
        Exchange exchange = new Exchange(request, decoder, handler, listener);
        request.onResponseHeaders(exchange::onHeaders)
                .onResponseContentAsync(exchange::onContent)
                .send(exchange::onComplete);
        return exchange;
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }

    /** The state of one request: accepted (streaming) or collecting an error body. */
    private static final class Exchange implements UpstreamExchange {
        private final Request request;
        private final SseDecoder decoder;
        private final StreamHandler handler;
        private final ExchangeListener listener;
        private final AtomicReference<Runnable> parkedDemand = new AtomicReference<>();
        private final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
        private volatile boolean accepted;
        private volatile boolean rejected;

        Exchange(Request request, SseDecoder decoder, StreamHandler handler, ExchangeListener listener) {
            this.request = request;
            this.decoder = decoder;
            this.handler = handler;
            this.listener = listener;
        }

        void onHeaders(org.eclipse.jetty.client.Response response) {
            int status = response.getStatus();
            String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (status / 100 == 2 && type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                accepted = true;
                listener.onAccepted(status);
            }
        }

        void onContent(org.eclipse.jetty.client.Response response, org.eclipse.jetty.io.Content.Chunk chunk, Runnable demand) {
            ByteBuffer bytes = chunk.getByteBuffer();
            if (!accepted) {
                // Keep only the start of an error body, for the operator's log line.
                int n = Math.min(bytes.remaining(), MAX_ERROR_BODY - errorBody.size());
                if (n > 0) {
                    byte[] copy = new byte[n];
                    bytes.get(copy);
                    errorBody.write(copy, 0, n);
                }
                demand.run();
                return;
            }
            try {
                decoder.feed(bytes);
            } catch (SseException e) {
                handler.onProtocolError(e.getMessage());
                request.abort(e);
                return;
            }
            if (listener.readyForMore()) {
                demand.run();
                return;
            }
            parkedDemand.set(demand);
            // The browser may have drained between the check and the park: look again so no demand is lost.
            if (listener.readyForMore()) {
                resume();
            }
        }

        void onComplete(org.eclipse.jetty.client.Result result) {
            if (accepted) {
                if (!result.isFailed()) {
                    decoder.end();
                }
                listener.onEnded(result.getFailure());
                return;
            }
            if (rejected) {
                return;
            }
            rejected = true;
            org.eclipse.jetty.client.Response response = result.getResponse();
            Throwable failure = result.getFailure();
            int status = response == null ? 0 : response.getStatus();
            String body = errorBody.toString(StandardCharsets.UTF_8);
            if (status > 0 && (failure == null || status / 100 != 2)) {
                UpstreamFailure.Kind kind = status / 100 == 2 ? UpstreamFailure.Kind.NOT_AN_EVENT_STREAM : UpstreamFailure.Kind.HTTP_STATUS;
                String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
                listener.onRejected(new UpstreamFailure(kind, status,
                        RetryAfter.parse(response.getHeaders().get(HttpHeader.RETRY_AFTER), Instant.now()),
                        "HTTP " + status + " " + type + " " + body));
                return;
            }
            UpstreamFailure.Kind kind = failure instanceof ConnectException || rootCause(failure) instanceof ConnectException
                    ? UpstreamFailure.Kind.CONNECT
                    : failure instanceof TimeoutException || rootCause(failure) instanceof TimeoutException
                    ? UpstreamFailure.Kind.TIMEOUT : UpstreamFailure.Kind.IO;
            listener.onRejected(new UpstreamFailure(kind, status, java.util.Optional.empty(), String.valueOf(failure)));
        }

        private static Throwable rootCause(Throwable t) {
            Throwable c = t;
            while (c != null && c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            return c;
        }

        @Override
        public void abort(Throwable cause) {
            request.abort(cause);
        }

        @Override
        public void resume() {
            Runnable demand = parkedDemand.getAndSet(null);
            if (demand != null) {
                demand.run();
            }
        }
    }
}
