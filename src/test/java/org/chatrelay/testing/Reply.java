package org.chatrelay.testing;

/**
 * One planned response of the fake upstream (see {@link FakeUpstream#plan}): a stream scenario of {@link Script},
 * an HTTP error, a 200 that is not a stream, or no response at all. {@code before} runs just before it is sent,
 * e.g. to rotate a key file while the request that carries the old key is in flight.
 */
public record Reply(String scenario, int a, int b, int status, String retryAfter, boolean hang, boolean json, Runnable before) {

    /** A 200 event stream playing {@code scenario} (e.g. {@code normal}, {@code stall}, {@code errorfirst}). */
    public static Reply stream(String scenario) {
        return new Reply(scenario, -1, -1, 200, null, false, false, null);
    }

    /** A 200 event stream playing {@code scenario:a:b} (e.g. {@code slow}, 20 tokens, 100 ms apart). */
    public static Reply stream(String scenario, int a, int b) {
        return new Reply(scenario, a, b, 200, null, false, false, null);
    }

    public static Reply ok() {
        return stream("normal");
    }

    /** An HTTP error with a JSON body. */
    public static Reply status(int status) {
        return new Reply(null, -1, -1, status, null, false, true, null);
    }

    /** A 200 whose content type is JSON, not an event stream (docs/sse-conformance.md case 36). */
    public static Reply json200() {
        return new Reply(null, -1, -1, 200, null, false, true, null);
    }

    /** Takes the request and never sends a response header. */
    public static Reply hangBeforeHeaders() {
        return new Reply(null, -1, -1, 0, null, true, false, null);
    }

    public Reply retryAfter(String value) {
        return new Reply(scenario, a, b, status, value, hang, json, before);
    }

    public Reply before(Runnable hook) {
        return new Reply(scenario, a, b, status, retryAfter, hang, json, hook);
    }
}
