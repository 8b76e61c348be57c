package org.chatrelay.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.chatrelay.http.JsonErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error page (web.xml's default {@code <error-page>}): JSON under {@code /api/}, a small HTML page anywhere
 * else. Generic words only, never an exception, a stack trace, SQL or the server's name; instead a correlation id,
 * which the log line carrying the details repeats, so an operator can find what a user reports.
 * It reads nothing from the application, so it works even when the application failed to start.
 */
public final class ErrorPageServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger("chatrelay.error");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        int status;
        if (req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code) {
            status = code;
        } else if (req.getDispatcherType() == DispatcherType.ERROR && res.getStatus() >= 400) {
            // Jetty's security handler refuses (403) without the error attributes; the status is already on the response.
            status = res.getStatus();
        } else {
            // Asked for directly rather than dispatched to, there is no error to describe: a 404 like any unknown path.
            status = HttpServletResponse.SC_NOT_FOUND;
        }
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri == null) {
            uri = req.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI);
        }
        respond(req, res, status, uri == null ? req.getRequestURI() : uri.toString(), (Throwable) req.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
    }

    /**
     * Writes the error page for {@code status} directly. Filters call this rather than {@code sendError}: Jetty's error
     * handler dispatches to error pages only for GET, POST and HEAD, and would leave a PUT's 405 without a body.
     */
    static void respond(HttpServletRequest req, HttpServletResponse res, int status, String uri, Throwable failure) throws IOException {
        String id = correlationId();
        if (status >= 500) {
            // The operator's log gets the whole story; the response gets only the id.
            LOG.error("error id={} status={} method={} uri={}", id, status, req.getMethod(), clean(uri), failure);
        } else {
            LOG.info("error id={} status={} method={} uri={}", id, status, req.getMethod(), clean(uri));
        }
        String[] words = words(status);
        res.setHeader("X-Correlation-Id", id);
        if (uri.startsWith(req.getContextPath() + "/api/")) {
            JsonErrors.writeCorrelated(res, status, words[0], words[1], id);
            return;
        }
        res.setStatus(status);
        res.setContentType("text/html;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.getOutputStream().write(html(req.getContextPath(), status, words[1], id).getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON code and the sentence a user sees. */
    static String[] words(int status) {
        return switch (status) {
            case 400 -> new String[] {"bad_request", "The request could not be understood."};
            case 403 -> new String[] {"forbidden", "You may not do that."};
            case 404 -> new String[] {"not_found", "There is nothing here."};
            case 405 -> new String[] {"method_not_allowed", "That method is not allowed here."};
            case 503 -> new String[] {"unavailable", "The service is unavailable for a moment. Please try again."};
            default -> status >= 500
                    ? new String[] {"internal_error", "Something went wrong on our side. It has been logged."}
                    : new String[] {"error_" + status, "The request could not be served."};
        };
    }

    private static String html(String contextPath, int status, String sentence, String id) {
        // Every value here is ours (a number, a fixed sentence, hex): nothing from the request is echoed.
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>%d — ChatRelay</title>
                  <link rel="stylesheet" href="%s/css/app.css">
                </head>
                <body>
                  <main class="error-page">
                    <h1>%d</h1>
                    <p>%s</p>
                    <p>Reference: <code>%s</code></p>
                    <p><a href="%s/">Back to the chat</a></p>
                  </main>
                </body>
                </html>
                """.formatted(status, contextPath, status, sentence, id, contextPath);
    }

    private static String correlationId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The URI as a log field: it is the client's text, so no line breaks or control characters get through. */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && i < 300; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
