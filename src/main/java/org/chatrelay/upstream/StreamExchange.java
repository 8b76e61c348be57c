package org.chatrelay.upstream;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.chatrelay.upstream.sse.SseDecoder;
import org.chatrelay.upstream.sse.SseException;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/** The state of one upstream request: accepted (streaming) or collecting an error body. */
final class StreamExchange implements UpstreamExchange {
    private static final int MAX_ERROR_BODY = 8 * 1024;
    private final Request request;
    private final SseDecoder decoder;
    private final StreamHandler handler;
    private final ExchangeListener listener;
    private final AtomicReference<Runnable> parkedDemand = new AtomicReference<>();
    private final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
    private volatile boolean accepted;
    private volatile boolean rejected;

    StreamExchange(Request request, SseDecoder decoder, StreamHandler handler, ExchangeListener listener) {
        this.request = request;
        this.decoder = decoder;
        this.handler = handler;
        this.listener = listener;
    }

    void onHeaders(Response response) {
        int status = response.getStatus();
        String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (status / 100 == 2 && type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            accepted = true;
            listener.onAccepted(status);
        }
    }

    void onContent(Response response, Content.Chunk chunk, Runnable demand) {
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
        } catch (RuntimeException e) {
            // Thrown out of here, it would fail the response: a cut stream, counted against the provider.
            decodeFailed(e);
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

    void onComplete(Result result) {
        if (accepted) {
            if (!result.isFailed()) {
                try {
                    decoder.end();
                } catch (SseException e) {
                    handler.onProtocolError(e.getMessage());
                } catch (RuntimeException e) {
                    listener.onDecodeFailure(e);
                }
            }
            listener.onEnded(result.getFailure());
            return;
        }
        if (rejected) {
            return;
        }
        rejected = true;
        Response response = result.getResponse();
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
        listener.onRejected(new UpstreamFailure(kindOf(failure), status, Optional.empty(), String.valueOf(failure)));
    }

    private void decodeFailed(RuntimeException e) {
        try {
            listener.onDecodeFailure(e);
        } finally {
            request.abort(e);
        }
    }

    /** Connect timeouts (Jetty's SocketTimeoutException or our own timer) stay apart from waiting for the response. */
    static UpstreamFailure.Kind kindOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UpstreamTimeout u) {
                return u.phase() == UpstreamTimeout.Phase.CONNECT ? UpstreamFailure.Kind.CONNECT_TIMEOUT : UpstreamFailure.Kind.TIMEOUT;
            }
            if (t instanceof SocketTimeoutException) {
                return UpstreamFailure.Kind.CONNECT_TIMEOUT;
            }
            if (t instanceof ConnectException) {
                return UpstreamFailure.Kind.CONNECT;
            }
            if (t instanceof TimeoutException) {
                return UpstreamFailure.Kind.TIMEOUT;
            }
        }
        return UpstreamFailure.Kind.IO;
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
