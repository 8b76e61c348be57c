package org.chatrelay.upstream.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's answer: deterministic for a given question, readable, and honest that it is canned.
 * Its pace (first token after 150–300 ms, 30–60 tokens/s) is derived from the question too, so a test can rely on it.
 */
final class DemoScript {
    private static final String[] CLOSERS = {
        "Fun fact: the relay sends a heartbeat comment every 15 seconds, which is also how it notices a closed tab.",
        "Fun fact: a `done` event reaches your browser only after the answer is stored, so a reload always shows it.",
        "Fun fact: if the stream is cut, the answer is marked incomplete instead of being passed off as finished.",
    };

    private DemoScript() {
    }

    static String answer(String question) {
        String q = question.strip().replaceAll("\\s+", " ");
        if (q.length() > 120) {
            q = q.substring(0, 119) + "…";
        }
        return "Hello! I am the ChatRelay demo upstream: an offline stand-in for a real model, so nothing you type leaves this machine.\n\n"
                + "You asked: \u201c" + q + "\u201d\n\n"
                + "I cannot really think about that, but I can show you how a streamed answer travels:\n"
                + "1. Your browser posts the message to /api/chat, and the server stores it before anything else happens.\n"
                + "2. The relay calls an OpenAI-compatible endpoint (me) with stream: true and decodes my Server-Sent Events as they arrive.\n"
                + "3. Each token is passed on to your browser the moment it comes in; no thread waits on a stream.\n"
                + "4. When I finish, the relay records the usage, the cost and the latency of this answer.\n\n"
                + CLOSERS[Math.floorMod(seed(question), CLOSERS.length)] + "\n\n"
                + "To talk to a real model, set CHATRELAY_UPSTREAM_URL, CHATRELAY_UPSTREAM_API_KEY and CHATRELAY_MODEL.";
    }

    /** Word-sized pieces, each keeping its trailing space or newline, the way providers stream tokens. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            boolean boundary = i == text.length() || Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i));
            if (boundary) {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    static long firstTokenDelayMillis(String question) {
        return 150 + Math.floorMod(seed(question), 151);
    }

    /** The gap between pieces that makes the answer stream at 30–60 real tokens per second. */
    static long intervalMillis(String question, int completionTokens, int pieces) {
        int tokensPerSecond = 30 + Math.floorMod(seed(question) >>> 8, 31);
        return Math.max(1, Math.round(1000.0 * completionTokens / ((double) tokensPerSecond * Math.max(1, pieces))));
    }

    private static int seed(String question) {
        // String.hashCode is specified by the JLS: the same on every JVM and every run (unlike Python's hash()).
        return question.hashCode();
    }
}
