package org.chatrelay.relay;

import org.chatrelay.upstream.UpstreamFailure;

/** What the browser is told when the upstream request failed before its stream began. Never the upstream body. */
record Rejection(EndReason reason, String code, String message, int httpStatus) {

    static Rejection of(UpstreamFailure f) {
        return switch (f.kind()) {
            case CONNECT, IO -> new Rejection(EndReason.UPSTREAM_ERROR, "upstream_unreachable",
                    "The AI provider could not be reached. Please try again.", 502);
            case TIMEOUT -> new Rejection(EndReason.TIMEOUT, "upstream_timeout",
                    "The AI provider did not answer in time. Please try again.", 504);
            case NOT_AN_EVENT_STREAM -> new Rejection(EndReason.UPSTREAM_ERROR, "upstream_bad_response",
                    "The AI provider answered with something other than a stream.", 502);
            case HTTP_STATUS -> byStatus(f.status());
        };
    }

    private static Rejection byStatus(int status) {
        if (status == 401 || status == 403) {
            return new Rejection(EndReason.UPSTREAM_ERROR, "upstream_auth",
                    "The server's credentials for the AI provider were refused. The operator has been told.", 502);
        }
        if (status == 429) {
            return new Rejection(EndReason.UPSTREAM_ERROR, "upstream_rate_limited",
                    "The AI provider is rate-limiting requests. Please try again shortly.", 503);
        }
        if (status == 503 || status == 529) {
            return new Rejection(EndReason.UPSTREAM_ERROR, "upstream_overloaded",
                    "The AI provider is overloaded. Please try again shortly.", 503);
        }
        if (status >= 500) {
            return new Rejection(EndReason.UPSTREAM_ERROR, "upstream_unavailable",
                    "The AI provider failed (HTTP " + status + "). Please try again.", 502);
        }
        return new Rejection(EndReason.UPSTREAM_ERROR, "upstream_rejected",
                "The AI provider refused the request (HTTP " + status + ").", 502);
    }
}
