package org.chatrelay.web;

import org.chatrelay.http.ApiException;

/** Text a visitor sends (a message, a conversation title): present, not blank, not too long, storable. */
final class MessageText {
    private MessageText() {
    }

    static String check(String message, int maxChars) throws ApiException {
        if (message == null) {
            throw new ApiException(400, "invalid_request", "'message' is required.", "message");
        }
        if (message.isBlank()) {
            throw new ApiException(400, "invalid_request", "The message is empty.", "message");
        }
        if (message.codePointCount(0, message.length()) > maxChars) {
            throw new ApiException(413, "message_too_large", "The message is longer than " + maxChars + " characters.", "message");
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean unpaired = Character.isHighSurrogate(c)
                    ? i + 1 >= message.length() || !Character.isLowSurrogate(message.charAt(++i))
                    : Character.isLowSurrogate(c);
            if (c == 0 || unpaired) {
                throw new ApiException(400, "invalid_characters", "The message contains characters that cannot be stored (NUL or a broken surrogate pair).", "message");
            }
        }
        return message;
    }
}
