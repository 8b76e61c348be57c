package org.chatrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A visitor, as the tests see it: its own cookie jar, the CSRF token from the page, same-origin POSTs. */
public final class ChatClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI base;
    private final String origin;
    private final CookieManager cookies;
    private String csrf;

    public ChatClient(URI base) {
        this(base, new CookieManager(), null);
    }

    private ChatClient(URI base, CookieManager cookies, String csrf) {
        this.base = base;
        this.origin = base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
        this.cookies = cookies;
        this.csrf = csrf;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The same visitor (cookie jar and CSRF token) at another address: one node directly rather than through nginx,
     * or the server after a restart on a new port. Cookies ignore the port, so the visitor cookie goes along.
     */
    public ChatClient at(URI otherBase) {
        return new ChatClient(otherBase, cookies, csrf);
    }

    /** The visitor id the server gave this browser (the cr_visitor cookie is the id, a dot and the server's signature). */
    public String visitorId() {
        String value = cookie("cr_visitor");
        return value.contains(".") ? value.substring(0, value.indexOf('.')) : value;
    }

    /** The value of this visitor's cookie {@code name}, for tests that write raw HTTP. */
    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(java.net.HttpCookie::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    /** Loads the chat page: sets the visitor cookie and reads the CSRF token from its meta tag. */
    public ChatClient open() throws IOException, InterruptedException {
        HttpResponse<String> page = get("");
        Matcher m = CSRF.matcher(page.body());
        if (page.statusCode() != 200 || !m.find()) {
            throw new AssertionError("chat page did not load: " + page.statusCode() + " " + page.body());
        }
        csrf = m.group(1);
        return this;
    }

    /** The client with this visitor's cookie jar, for tests that drive many requests themselves. */
    public HttpClient http() {
        return http;
    }

    public String csrfToken() {
        return csrf;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " gave " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    public HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .header("Origin", origin)
                .header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        HttpCapture.record(request.method() + " " + request.uri(), r.statusCode(), r.headers(), r.body());
        return r;
    }

    /**
     * This visitor's chat POST of {@code json} as raw HTTP/1.1 bytes, for tests that need the socket itself (a kept-alive
     * connection, a small receive window).
     */
    public byte[] rawChatRequest(String json) {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String head = "POST " + base.resolve("api/chat").getRawPath() + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nOrigin: " + origin + "\r\nX-CSRF-Token: " + csrf + "\r\nCookie: cr_visitor=" + cookie("cr_visitor")
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] request = java.util.Arrays.copyOf(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII), head.length() + body.length);
        System.arraycopy(body, 0, request, head.length(), body.length);
        return request;
    }

    public static String body(String conversationId, String message) {
        var node = JSON.createObjectNode();
        if (conversationId != null) {
            node.put("conversationId", conversationId);
        }
        node.put("message", message);
        return node.toString();
    }

    /**
     * Like {@link #chat(String, String, Predicate)}, but a connection that breaks mid-stream (a node killed, a proxy
     * giving up) is not an exception: the events read so far come back with {@link SseStream#cut} set.
     */
    public SseStream chatAllowingCut(String conversationId, String message, Predicate<SseStream> stopWhen) throws InterruptedException {
        SseStream s = new SseStream(0);
        try {
            HttpResponse<InputStream> r = http.send(post("api/chat", body(conversationId, message)).build(), HttpResponse.BodyHandlers.ofInputStream());
            s = new SseStream(r.statusCode());
            try (InputStream in = r.body()) {
                s.read(in, stopWhen);
            }
        } catch (IOException e) {
            s.cut = e;
        }
        HttpCapture.record("POST " + base.resolve("api/chat"), s.status, null, s.raw);
        return s;
    }

    /**
     * Resumes an answer ({@code GET /api/messages/{id}/events}) after {@code lastEventId} (sent as {@code Last-Event-ID};
     * null sends none) and reads until the stream ends or {@code stopWhen} says stop, then closes the connection. A
     * refusal's JSON body is in {@link SseStream#raw}.
     */
    public SseStream resume(String messageId, String lastEventId, Predicate<SseStream> stopWhen) throws IOException, InterruptedException {
        return resumeAt("api/messages/" + messageId + "/events", lastEventId, stopWhen);
    }

    /** {@link #resume} to a path of the test's (e.g. with {@code ?after=}). */
    public SseStream resumeAt(String path, String lastEventId, Predicate<SseStream> stopWhen) throws IOException, InterruptedException {
        HttpRequest.Builder get = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (lastEventId != null) {
            get.header("Last-Event-ID", lastEventId);
        }
        return read("GET", http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream()), stopWhen);
    }

    /** Posts a message and reads the whole answer stream. */
    public SseStream chat(String conversationId, String message) throws IOException, InterruptedException {
        return chat(conversationId, message, s -> false);
    }

    /**
     * Posts a message and reads the stream until it ends or {@code stopWhen} says stop; then the connection is
     * closed, as a browser tab closing would.
     */
    public SseStream chat(String conversationId, String message, Predicate<SseStream> stopWhen) throws IOException, InterruptedException {
        return chatPosting(body(conversationId, message), stopWhen);
    }

    /** Posts a new conversation's first message for {@code model} (one of the catalog's) and reads the whole answer stream. */
    public SseStream chatWith(String model, String message) throws IOException, InterruptedException {
        return chatWithUntil(model, message, s -> false);
    }

    /** {@link #chatWith} that stops reading (and closes the connection) when {@code stopWhen} says so. */
    public SseStream chatWithUntil(String model, String message, Predicate<SseStream> stopWhen) throws IOException, InterruptedException {
        var node = JSON.createObjectNode();
        node.put("message", message);
        node.put("model", model);
        return chatPosting(node.toString(), stopWhen);
    }

    private SseStream chatPosting(String json, Predicate<SseStream> stopWhen) throws IOException, InterruptedException {
        return read("POST", http.send(post("api/chat", json).build(), HttpResponse.BodyHandlers.ofInputStream()), stopWhen);
    }

    /** An event stream's events, or a refusal's body in {@link SseStream#raw}; the connection is closed after. */
    private static SseStream read(String method, HttpResponse<InputStream> r, Predicate<SseStream> stopWhen) throws IOException {
        SseStream s = new SseStream(r.statusCode());
        s.contentType = r.headers().firstValue("Content-Type").orElse("");
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                s.raw.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } else {
                s.read(in, stopWhen);
            }
        } finally {
            HttpCapture.record(method + " " + r.uri(), r.statusCode(), r.headers(), s.raw);
        }
        return s;
    }
}
