package org.chatrelay.upstream.sse;

import java.util.Arrays;

/** Stage 3: fields to events, following the WHATWG "process the field" and "dispatch the event" steps. */
final class EventAssembler implements FieldParser.FieldSink {

    private static final byte LF = '\n';

    private final SseListener listener;
    private final int maxEventBytes;
    /** The "data buffer", kept as bytes and decoded once per event rather than once per line. */
    private final ByteAccumulator data;
    /** The "event type buffer". */
    private String eventType = "";
    /** The "last event ID buffer": dispatch never resets it. */
    private String lastEventId = "";
    private long retryMillis = -1;
    // Providers repeat a handful of event names on every frame; reusing the last one avoids a String per frame.
    private byte[] cachedTypeBytes = new byte[0];
    private String cachedType = "";

    EventAssembler(SseListener listener, int maxEventBytes) {
        this.listener = listener;
        this.maxEventBytes = maxEventBytes;
        // +1: the buffer also holds the trailing LF that dispatch removes.
        this.data = new ByteAccumulator((int) Math.min(Integer.MAX_VALUE - 8L, maxEventBytes + 1L));
    }

    @Override
    public void blankLine() {
        // "If the data buffer is an empty string, set the data buffer and the event type buffer to the empty string
        // and return."
        if (data.length() == 0) {
            eventType = "";
            return;
        }
        // "If the data buffer's last character is a U+000A LINE FEED (LF) character, then remove the last character
        // from the data buffer." It always is: every data field appends one.
        String text = Utf8.decode(data.array(), 0, data.length() - 1);
        // "Initialize event's type attribute to "message" ... If the event type buffer has a value other than the
        // empty string, change the type of the newly created event to equal the value of the event type buffer."
        String type = eventType.isEmpty() ? "message" : eventType;
        // "Set the data buffer and the event type buffer to the empty string." Before calling out, so a listener
        // that throws leaves the decoder clean.
        data.clear();
        eventType = "";
        listener.onEvent(new SseEvent(type, text, lastEventId));
    }

    @Override
    public void comment(byte[] bytes, int offset, int length) {
        listener.onComment(Utf8.decode(bytes, offset, length));
    }

    @Override
    public void field(FieldParser.Field name, byte[] bytes, int offset, int length) {
        switch (name) {
            case DATA -> appendData(bytes, offset, length);
            // "Set the event type buffer to the field value."
            case EVENT -> eventType = typeName(bytes, offset, length);
            case ID -> setLastEventId(bytes, offset, length);
            case RETRY -> setRetry(bytes, offset, length);
        }
    }

    String lastEventId() {
        return lastEventId;
    }

    long retryMillis() {
        return retryMillis;
    }

    /**
     * End of stream: "If the file ends in the middle of an event, before the final empty line, the incomplete event
     * is not dispatched."
     */
    void end() {
        data.clear();
        eventType = "";
    }

    void reset() {
        end();
        lastEventId = "";
        retryMillis = -1;
    }

    // "Append the field value to the data buffer, then append a single U+000A LINE FEED (LF) character."
    private void appendData(byte[] bytes, int offset, int length) {
        long size = (long) data.length() + length;
        if (size > maxEventBytes) {
            throw SseException.eventTooLarge(maxEventBytes, size);
        }
        data.append(bytes, offset, length);
        data.append(LF);
    }

    // "If the field value does not contain U+0000 NULL, then set the last event ID buffer to the field value.
    // Otherwise, ignore the field."
    private void setLastEventId(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == 0) {
                return;
            }
        }
        lastEventId = Utf8.decode(bytes, offset, length);
    }

    // "If the field value consists of only ASCII digits, then interpret the field value as an integer in base ten,
    // and set the event stream's reconnection time to that integer. Otherwise, ignore the field." An empty value has
    // no digits to interpret, and one too big for a long cannot be a reconnection time: both are ignored.
    private void setRetry(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
                return;
            }
            value = value * 10 + digit;
        }
        retryMillis = value;
        listener.onRetry(value);
    }

    private String typeName(byte[] bytes, int offset, int length) {
        if (!Arrays.equals(bytes, offset, offset + length, cachedTypeBytes, 0, cachedTypeBytes.length)) {
            cachedTypeBytes = Arrays.copyOfRange(bytes, offset, offset + length);
            cachedType = Utf8.decode(bytes, offset, length);
        }
        return cachedType;
    }
}
