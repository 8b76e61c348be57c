package org.chatrelay.web;

/**
 * A request the API refuses before anything is stored or sent upstream; carries the status, the JSON error code and,
 * for a bad body member, the field at fault.
 */
final class ApiException extends Exception {
    final int status;
    final String code;
    final String field;

    ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }
}
