package org.chatrelay.admin;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A browser-like HTTP client for the admin pages: its own cookie jar, redirects shown rather than followed. */
public final class AdminClient {
    public final URI base;
    public final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    public AdminClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public String origin() {
        return base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> method(String method, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** A same-origin form post, as the login page's own form sends it. */
    public HttpResponse<String> postForm(String path, String origin, String... pairs) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return send(b);
    }

    public HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
        return postForm("login", origin(), "j_username", user, "j_password", password);
    }

    /** Logs in and fails unless the container accepted the credentials. */
    public AdminClient signedIn(String user, String password) throws IOException, InterruptedException {
        get("admin");
        HttpResponse<String> r = login(user, password);
        String location = r.headers().firstValue("Location").orElse("");
        if (r.statusCode() != 302 || location.contains("/login")) {
            throw new AssertionError("login as " + user + " failed: " + r.statusCode() + " " + location);
        }
        return this;
    }

    public Optional<HttpCookie> sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID")).findFirst();
    }
}
