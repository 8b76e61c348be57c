package org.chatrelay.upstream;

/** One turn of the conversation as sent upstream. role is {@code system}, {@code user} or {@code assistant}. */
public record ChatMessage(String role, String content) {
}
