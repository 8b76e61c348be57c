package org.chatrelay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Map;

/**
 * Where the load generator sends a stream request, and how: an OpenAI request straight to the upstream, through
 * nginx or through a relay's gateway ({@code /v1/chat/completions} with a virtual key), or the browser API of a relay,
 * with the visitor cookie, the CSRF token and the same-origin {@code Origin} header every {@code POST /api/*} needs.
 *
 * @param name    the label in the report: {@code direct}, {@code relay}, {@code relay-pg}, {@code relay-nopersist},
 *                {@code gateway}, {@code nginx}
 * @param chatApi the relay's browser API ({@code {"message"}}, {@code event: token}) rather than an OpenAI request
 * @param relay   a relay JVM answers it (warmed up longer than nginx)
 * @param pid     the process whose memory and CPU are its cost (the relay's JVM, nginx's master), or 0
 */
record Target(String name, URI uri, Map<String, String> headers, boolean chatApi, boolean relay, long pid) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Target openAi(String name, URI base, long pid) {
        return new Target(name, base.resolve("/v1/chat/completions"), Map.of("Accept", "text/event-stream"), false, false, pid);
    }

    /** A relay's gateway, called as an OpenAI SDK calls it: the virtual key as the bearer token. */
    static Target gateway(String name, URI base, String key, long pid) {
        return new Target(name, base.resolve("/v1/chat/completions"), Map.of("Accept", "text/event-stream", "Authorization", "Bearer " + key),
                false, true, pid);
    }

    static Target relay(String name, URI base, String visitorCookie, String csrfToken, long pid) {
        String origin = base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
        return new Target(name, base.resolve("/api/chat"),
                Map.of("Cookie", "cr_visitor=" + visitorCookie, "X-CSRF-Token", csrfToken, "Origin", origin), true, true, pid);
    }

    /** The JSON body asking for {@code shape}: the relay's {@code {"message"}}, or an OpenAI chat request. */
    String body(Shape shape) {
        ObjectNode body = JSON.createObjectNode();
        if (chatApi) {
            body.put("message", shape.message());
        } else {
            body.put("model", "bench-model");
            body.put("stream", true);
            body.putArray("messages").addObject().put("role", "user").put("content", shape.message());
        }
        return body.toString();
    }
}
