package org.chatrelay.upstream.sse;

/**
 * One dispatched server-sent event.
 *
 * @param type "message" when the event had no (or an empty) {@code event} field
 * @param data the data buffer with its single trailing LF removed
 * @param id   the last-event-id buffer at dispatch time; "" if never set. It is sticky: the WHATWG
 *             dispatch steps never reset it, so it repeats on later events until an {@code id} field changes it.
 */
public record SseEvent(String type, String data, String id) {
}
