package org.chatrelay.http;

/**
 * A request the API refuses before anything is stored or sent upstream; carries the status, the JSON error code and,
 * for a bad body member, the field at fault.
 */
public final class ApiException extends Exception {
    public final int status;
    public final String code;
    public final String field;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }
}
