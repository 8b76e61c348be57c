package org.chatrelay.web;

/** A request the API refuses before anything is stored or sent upstream; carries the status and the JSON error code. */
final class ApiException extends Exception {
    final int status;
    final String code;

    ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }
}
