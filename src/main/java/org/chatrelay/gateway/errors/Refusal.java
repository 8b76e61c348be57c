package org.chatrelay.gateway.errors;

import java.util.OptionalLong;

/**
 * A gateway call refused before anything was sent upstream: why (for logs, tests and metrics) and the error the client
 * gets, which the endpoint writes in the client's dialect.
 */
public final class Refusal extends RuntimeException {
    public enum Reason {
        MISSING_KEY(ErrorKind.AUTHENTICATION),
        UNKNOWN_KEY(ErrorKind.AUTHENTICATION),
        REVOKED_KEY(ErrorKind.AUTHENTICATION),
        EXPIRED_KEY(ErrorKind.AUTHENTICATION),
        MODEL_NOT_ALLOWED(ErrorKind.PERMISSION),
        RATE_LIMITED(ErrorKind.RATE_LIMITED),
        TOO_MANY_STREAMS(ErrorKind.RATE_LIMITED),
        DAILY_BUDGET_SPENT(ErrorKind.QUOTA_EXCEEDED),
        MONTHLY_BUDGET_SPENT(ErrorKind.QUOTA_EXCEEDED);

        private final ErrorKind kind;

        Reason(ErrorKind kind) {
            this.kind = kind;
        }
    }

    private final Reason reason;
    private final GatewayError error;

    public Refusal(Reason reason, String message) {
        this(reason, message, OptionalLong.empty());
    }

    public Refusal(Reason reason, String message, OptionalLong retryAfterSeconds) {
        super(message, null, false, false);
        this.reason = reason;
        this.error = new GatewayError(reason.kind, message, null, retryAfterSeconds.isPresent()
                ? OptionalLong.of(Math.max(1, retryAfterSeconds.getAsLong())) : OptionalLong.empty());
    }

    public Reason reason() {
        return reason;
    }

    public GatewayError error() {
        return error;
    }
}
