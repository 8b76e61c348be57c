package org.chatrelay.relay;

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

    void answer(Turn t, Outcome o, AnswerRecord r) {
        ANSWERS.info("answer req={} msg={} provider={} model={} reported={} end={} code={} ttftMs={} totalMs={} promptTokens={} completionTokens={} usage={} costMicros={}",
                t.requestId(), t.ids().assistantMessageId(), t.target().provider(), t.target().model(), clean(o.modelReported()),
                o.reason().code(), o.errorCode(), o.ttftMs(), o.totalMs(), r.promptTokens(), r.completionTokens(), r.usageSource(),
                r.costMicros());
    }

    void upstreamRejected(Turn t, UpstreamFailure f) {
        // The upstream body goes to the operator's log (shortened, cleaned), never to the browser.
        UPSTREAM.warn("upstream refused req={} provider={} kind={} status={} detail={}", t.requestId(), t.target().provider(),
                f.kind(), f.status(), clean(shorten(f.detail())));
    }

    void providerError(Turn t, String code) {
        UPSTREAM.warn("upstream error event req={} provider={} code={}", t.requestId(), t.target().provider(), clean(code));
    }

    void protocolError(Turn t, String message) {
        UPSTREAM.warn("upstream protocol error req={} provider={} problem={}", t.requestId(), t.target().provider(), clean(message));
    }

    void storeFailed(Turn t, RuntimeException e) {
        ANSWERS.error("could not store answer req={} msg={}: {}", t.requestId(), t.ids().assistantMessageId(), clean(e.toString()));
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
