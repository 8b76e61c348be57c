package org.chatrelay.upstream.sse;

import java.util.ArrayList;
import java.util.List;

/** Records every callback, in order, for assertions. */
final class Recorder implements SseListener {

    final List<SseEvent> events = new ArrayList<>();
    final List<String> comments = new ArrayList<>();
    final List<Long> retries = new ArrayList<>();

    @Override
    public void onEvent(SseEvent event) {
        events.add(event);
    }

    @Override
    public void onComment(String comment) {
        comments.add(comment);
    }

    @Override
    public void onRetry(long millis) {
        retries.add(millis);
    }
}
