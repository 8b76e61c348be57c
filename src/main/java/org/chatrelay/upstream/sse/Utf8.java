package org.chatrelay.upstream.sse;

import java.nio.charset.StandardCharsets;

/**
 * WHATWG "UTF-8 decode" with replacement. The JDK decoder already replaces malformed input with U+FFFD using the
 * same maximal-subpart rule, with one exception: it treats an encoded surrogate (ED A0..BF xx) as one malformed
 * sequence, where the Encoding standard rejects the ED at once (its second byte must be 80..9F) and then each
 * stray continuation byte: three U+FFFD, not one. We patch exactly that case and keep the JDK's fast path.
 */
final class Utf8 {

    private static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    static String decode(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int surrogate = findEncodedSurrogate(bytes, offset, end);
        if (surrogate < 0) {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
        StringBuilder text = new StringBuilder(length);
        int start = offset;
        while (surrogate >= 0) {
            // ED is a lead byte, so any sequence left unfinished before it ends there in both decoders alike.
            text.append(new String(bytes, start, surrogate - start, StandardCharsets.UTF_8)).append(REPLACEMENT);
            start = surrogate + 1;
            surrogate = findEncodedSurrogate(bytes, start, end);
        }
        return text.append(new String(bytes, start, end - start, StandardCharsets.UTF_8)).toString();
    }

    private static int findEncodedSurrogate(byte[] bytes, int from, int end) {
        for (int i = from; i < end - 1; i++) {
            if (bytes[i] == (byte) 0xED && (bytes[i + 1] & 0xE0) == 0xA0) {
                return i;
            }
        }
        return -1;
    }
}
