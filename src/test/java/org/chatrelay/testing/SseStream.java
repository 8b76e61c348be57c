package org.chatrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The browser's view of one answer: the raw bytes and each event with the time it arrived. A deliberately small
 * parser of our own frames (event + one data line), independent of the decoder under test.
 */
public final class SseStream {
    /** @param id the event's SSE {@code id} (null: it had none) */
    public record Event(String name, JsonNode data, long arrivedNanos, String id) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    public final int status;
    public final List<Event> events = new ArrayList<>();
    public final StringBuilder raw = new StringBuilder();
    /** The response's Content-Type. */
    public String contentType = "";
    /** Set by {@link ChatClient#chatAllowingCut} when the connection broke before the stream ended. */
    public volatile IOException cut;

    SseStream(int status) {
        this.status = status;
    }

    /** Reads until the stream ends or {@code stopWhen} accepts an event; returns whether it stopped early. */
    boolean read(InputStream in, Predicate<SseStream> stopWhen) throws IOException {
        StringBuilder line = new StringBuilder();
        String name = null;
        String data = null;
        String id = null;
        int b;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while ((b = in.read()) != -1) {
            if (b != '\n') {
                bytes.write(b);
                continue;
            }
            String l = bytes.toString(StandardCharsets.UTF_8);
            bytes.reset();
            raw.append(l).append('\n');
            if (l.isEmpty()) {
                if (data != null) {
                    events.add(new Event(name == null ? "message" : name, JSON.readTree(data), System.nanoTime(), id));
                    if (stopWhen.test(this)) {
                        return true;
                    }
                }
                name = null;
                data = null;
                id = null;
            } else if (l.startsWith("id: ")) {
                id = l.substring(4);
            } else if (l.startsWith("event: ")) {
                name = l.substring(7);
            } else if (l.startsWith("data: ")) {
                data = l.substring(6);
            }
        }
        return false;
    }

    public List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /**
     * The names with each run of {@code token} or {@code reasoning} events as one: how many events a chat answer's text
     * comes in is not promised (a viewer that falls behind, say on a loaded machine, catches up with one larger event,
     * docs/api.md, "Resuming an answer"), so tests of the chat path compare this and the text, not the count.
     */
    public List<String> shape() {
        List<String> shape = new java.util.ArrayList<>();
        for (Event e : events) {
            boolean text = e.name().equals("token") || e.name().equals("reasoning");
            if (!(text && !shape.isEmpty() && shape.get(shape.size() - 1).equals(e.name()))) {
                shape.add(e.name());
            }
        }
        return shape;
    }

    public Event first(String name) {
        return events.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + name + "' event in " + names()));
    }

    public Event last() {
        return events.get(events.size() - 1);
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        events.stream().filter(e -> e.name().equals("token")).forEach(e -> b.append(e.data().get("text").asText()));
        return b.toString();
    }

    /** The text of the {@code reasoning} events, in order (thinking models). */
    public String reasoning() {
        StringBuilder b = new StringBuilder();
        events.stream().filter(e -> e.name().equals("reasoning")).forEach(e -> b.append(e.data().get("text").asText()));
        return b.toString();
    }

    /** The id of the last event that had one (what a client sends back to resume); null if none had. */
    public String lastId() {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).id() != null) {
                return events.get(i).id();
            }
        }
        return null;
    }

    public long count(String name) {
        return events.stream().filter(e -> e.name().equals(name)).count();
    }
}
