package org.chatrelay.relay;

/**
 * Makes a provider's text pieces well-formed UTF-16 before they are encoded for the browser and the database. A
 * provider may split a surrogate pair across two chunks ({@code "\ud83d"} then {@code "\ude00"}): the high half
 * waits here for the next piece. A surrogate without its partner becomes U+FFFD, as a UTF-8 decoder would make of
 * a broken sequence. One per attempt, used by one thread at a time (the dialect's).
 */
final class SurrogateJoiner {
    static final char REPLACEMENT = '\uFFFD';
    private char pendingHigh;

    /** The piece as far as it can be sent now; empty when it was only a high surrogate waiting for its partner. */
    String join(String piece) {
        if (pendingHigh == 0 && !hasSurrogate(piece)) {
            return piece; // the hot path: no copy
        }
        StringBuilder b = new StringBuilder(piece.length() + 1);
        if (pendingHigh != 0) {
            b.append(pendingHigh);
            pendingHigh = 0;
        }
        b.append(piece);
        int last = b.length() - 1;
        if (last >= 0 && Character.isHighSurrogate(b.charAt(last))) {
            pendingHigh = b.charAt(last);
            b.setLength(last);
        }
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < b.length() && Character.isLowSurrogate(b.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                b.setCharAt(i, REPLACEMENT);
            }
        }
        return b.toString();
    }

    /** The end of the text: a high surrogate still waiting never got its partner. Null when none waits. */
    String flush() {
        if (pendingHigh == 0) {
            return null;
        }
        pendingHigh = 0;
        return String.valueOf(REPLACEMENT);
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
