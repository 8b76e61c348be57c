package org.chatrelay.gateway.errors;

/**
 * What went wrong, with the status and the type and code each dialect gives it. The values are the ones the providers
 * themselves send, because the official SDKs pick their exception class by status and applications branch on
 * OpenAI's {@code code} ({@code invalid_api_key}, {@code insufficient_quota}, {@code rate_limit_exceeded}):
 * <pre>
 * kind                status  OpenAI type / code                          Anthropic type
 * INVALID_REQUEST     400     invalid_request_error / (null)              invalid_request_error
 * AUTHENTICATION      401     invalid_request_error / invalid_api_key     authentication_error
 * PERMISSION          403     permission_error / model_not_allowed        permission_error
 * NOT_FOUND           404     invalid_request_error / not_found           not_found_error
 * RATE_LIMITED        429     requests / rate_limit_exceeded              rate_limit_error
 * QUOTA_EXCEEDED      429     insufficient_quota / insufficient_quota     rate_limit_error
 * SERVER_ERROR        500     server_error / (null)                       api_error
 * OVERLOADED          503 OpenAI, 529 Anthropic: server_error / overloaded, overloaded_error
 * </pre>
 */
public enum ErrorKind {
    INVALID_REQUEST(400, 400, "invalid_request_error", null, "invalid_request_error"),
    AUTHENTICATION(401, 401, "invalid_request_error", "invalid_api_key", "authentication_error"),
    PERMISSION(403, 403, "permission_error", "model_not_allowed", "permission_error"),
    NOT_FOUND(404, 404, "invalid_request_error", "not_found", "not_found_error"),
    RATE_LIMITED(429, 429, "requests", "rate_limit_exceeded", "rate_limit_error"),
    QUOTA_EXCEEDED(429, 429, "insufficient_quota", "insufficient_quota", "rate_limit_error"),
    SERVER_ERROR(500, 500, "server_error", null, "api_error"),
    // Anthropic's own status for an overloaded service; OpenAI's SDK treats 503 as retryable, 529 as unknown.
    OVERLOADED(503, 529, "server_error", "overloaded", "overloaded_error");

    final int openAiStatus;
    final int anthropicStatus;
    final String openAiType;
    final String openAiCode;
    final String anthropicType;

    ErrorKind(int openAiStatus, int anthropicStatus, String openAiType, String openAiCode, String anthropicType) {
        this.openAiStatus = openAiStatus;
        this.anthropicStatus = anthropicStatus;
        this.openAiType = openAiType;
        this.openAiCode = openAiCode;
        this.anthropicType = anthropicType;
    }
}
