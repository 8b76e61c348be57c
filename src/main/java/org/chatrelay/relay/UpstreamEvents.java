package org.chatrelay.relay;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.chatrelay.upstream.UpstreamFailure;

/**
 * What the events that end an attempt mean for its answer: another attempt (the {@link AttemptDriver} decides), or the
 * answer's end, with or without a strike against the provider. The stream ignores an ending from an attempt that is no
 * longer current, so nothing here needs the stream's lock.
 */
final class UpstreamEvents {
    private final RelayStream stream;
    private final AttemptDriver driver;
    private final RelayLog log;

    UpstreamEvents(RelayStream stream, AttemptDriver driver, RelayLog log) {
        this.stream = stream;
        this.driver = driver;
        this.log = log;
    }

    void onRejected(Attempt a, UpstreamFailure failure) {
        driver.failed(a, failure);
    }

    void onEnded(Attempt a, Throwable failure) {
        if (!stream.isCurrent(a)) {
            return;
        }
        if (failure == null && a.finishReason() != null) {
            // docs/sse-conformance.md case 27: finish_reason arrived but the stream closed without its terminator:
            // complete, flagged.
            stream.end(a, Ending.completed(a.finishReason(), Outcome.NO_DONE));
        } else if (timeout(failure) && stream.browserStalled()) {
            // Reads were paused for the browser, so the provider's silence was ours: a client-side ending, no strike.
            stream.end(a, StreamEnding.CLIENT_STALLED.ending());
        } else if (timeout(failure)) {
            fault(a, StreamEnding.UPSTREAM_IDLE);
        } else if (!a.hasContent()) {
            // Nothing reached the browser yet: as safe to retry as a failed connection.
            driver.failed(a, new UpstreamFailure(UpstreamFailure.Kind.CUT_BEFORE_CONTENT, a.status(), Optional.empty(),
                    String.valueOf(failure)));
        } else {
            fault(a, StreamEnding.UPSTREAM_CUT);
        }
    }

    private static boolean timeout(Throwable failure) {
        return failure instanceof TimeoutException || failure != null && failure.getCause() instanceof TimeoutException;
    }

    void onProviderError(Attempt a, String code) {
        if (!stream.isCurrent(a)) {
            return;
        }
        log.providerError(stream.answer(), a, code);
        UpstreamFailure failure = new UpstreamFailure(UpstreamFailure.Kind.PROVIDER_ERROR, a.status(), Optional.empty(), code);
        if (!a.hasContent()) {
            // docs/sse-conformance.md case 33: before any content the error event is as good as a refusal: retry or
            // fall back (once).
            driver.failed(a, failure);
            a.abort(new CancellationException("error event before content"));
            return;
        }
        Ending ending = Rejection.providerError(code).interrupted();
        if (!failure.requestCaused()) {
            a.countHealth(false, log);
        }
        stream.end(a, ending);
    }

    void onToolCall(Attempt a) {
        if (stream.toolCallsPassed()) {
            // The client runs its own tools: a tool call is the answer's content, and its events are passed on.
            stream.onOutput(a, RelayStream.Output.TOOL_CALL, null);
            return;
        }
        a.countHealth(true, log);
        stream.end(a, StreamEnding.UNSUPPORTED_TOOL_CALL.ending());
    }

    void onTerminator(Attempt a) {
        a.countHealth(true, log);
        stream.end(a, Ending.completed(a.finishReason(), null));
    }

    void onProtocolError(Attempt a, String message) {
        log.protocolError(stream.answer(), a, message);
        fault(a, StreamEnding.MALFORMED_STREAM);
    }

    /** Our own decode path failed on this stream: a protocol error, but no strike against the provider. */
    void onDecodeFailure(Attempt a, RuntimeException e) {
        log.protocolError(stream.answer(), a, "decode failure: " + e);
        stream.end(a, StreamEnding.UNREADABLE_STREAM.ending());
    }

    /** The current attempt failed in a way no retry may follow: it counts against its provider, and the answer ends. */
    void fault(Attempt a, StreamEnding e) {
        a.countHealth(false, log);
        stream.end(a, e.ending());
    }
}
