package org.chatrelay.relay;

import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.routing.Candidate;
import org.chatrelay.routing.Provider;
import org.chatrelay.upstream.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's log lines: ids, sizes, status and latency. Never message content, keys, cookies or tokens;
 * anything that came from outside is passed through {@link #clean} so it cannot forge a log line.
 */
final class RelayLog {
    private static final Logger ANSWERS = LoggerFactory.getLogger("chatrelay.answer");
    private static final Logger UPSTREAM = LoggerFactory.getLogger("chatrelay.upstream");

    void answer(AnswerRequest request, Outcome o, AnswerRecord r) {
        ANSWERS.info("answer req={} msg={} arm={} provider={} attempts={} model={} reported={} end={} code={} ttftMs={} totalMs={} promptTokens={} completionTokens={} usage={} costMicros={}"
                        + " firstReasoningMs={} thinkingMs={} reasoningTokens={}",
                request.requestId(), request.ids().assistantMessageId(), request.route().arm(), o.provider(), o.attempts().size(), request.model(),
                clean(o.modelReported()), o.reason().code(), o.errorCode(), o.ttftMs(), o.totalMs(), r.promptTokens(),
                r.completionTokens(), r.usageSource(), r.costMicros(), o.thinking().firstReasoningMs(), o.thinking().thinkingMs(),
                r.reasoningTokens());
    }

    void attemptFailed(AnswerRequest request, Attempt a, UpstreamFailure f) {
        // The upstream body goes to the operator's log (shortened, cleaned), never to the browser.
        UPSTREAM.warn("attempt failed req={} attempt={} provider={} kind={} status={} retryAfter={} detail={}", request.requestId(), a.number,
                a.candidate.provider().name(), f.kind(), f.status(), f.retryAfter().orElse(null), clean(shorten(f.detail())));
    }

    void providerBusy(AnswerRequest request, Candidate c, String reason) {
        UPSTREAM.warn("provider busy req={} provider={} reason={}", request.requestId(), c.provider().name(), reason);
    }

    void gaveUp(AnswerRequest request, UpstreamFailure last, int attempts) {
        UPSTREAM.warn("no answer req={} attempts={} last={} status={}", request.requestId(), attempts, last.kind(), last.status());
    }

    void cooldownStarted(Provider p) {
        UPSTREAM.warn("provider {} failed too often: tried last for the next {} ms", p.name(),
                p.health().coolingFor().map(java.time.Duration::toMillis).orElse(0L));
    }

    void providerError(AnswerRequest request, Attempt a, String code) {
        UPSTREAM.warn("upstream error event req={} attempt={} provider={} code={}", request.requestId(), a.number, a.candidate.provider().name(), clean(code));
    }

    void protocolError(AnswerRequest request, Attempt a, String message) {
        UPSTREAM.warn("upstream protocol error req={} attempt={} provider={} problem={}", request.requestId(), a.number,
                a.candidate.provider().name(), clean(message));
    }

    void storeFailed(AnswerRequest request) {
        ANSWERS.error("could not store answer req={} msg={}: neither the database nor the spool took it", request.requestId(),
                request.ids().assistantMessageId());
    }

    /** A new question's rows could not be stored while it went upstream: the answer was refused (503). */
    void storeFailed(AnswerRequest request, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String why = cause instanceof PersistenceException p ? p.withCause() : String.valueOf(cause);
        ANSWERS.warn("could not begin answer req={} msg={}, refused with 503 storage_unavailable: {}", request.requestId(),
                request.ids().assistantMessageId(), clean(why));
    }

    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (Character.isISOControl(c)) {
                b.append('?');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String shorten(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }
}
