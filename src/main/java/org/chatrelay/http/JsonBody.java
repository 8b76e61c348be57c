package org.chatrelay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/** A small JSON object body: read with a JSON content type, a size cap and known fields only; written never cached. */
public final class JsonBody {
    private JsonBody() {
    }

    /**
     * A refused body of at most this many bytes is read and dropped before the refusal is sent. Answering while the
     * client still writes its body makes the server close the connection under the client's feet: the client may
     * lose the answer, or send its next request on that connection (the JDK's client did, about once in 300 refused
     * 300 KB bodies: "header parser received no bytes"). Read to its end, the body is gone, the refusal is an ordinary
     * answer and the connection stays usable. A larger body is cut short: Jetty answers with Connection: close.
     */
    static final long DRAIN_LIMIT = 1 << 20;

    public static JsonNode read(HttpServletRequest req, ObjectMapper json, int maxBytes, Set<String> allowedFields) throws ApiException, IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw refuse(req, null, new ApiException(415, "unsupported_media_type", "Send the request as application/json."));
        }
        if (req.getContentLengthLong() > maxBytes) {
            throw refuse(req, null, new ApiException(413, "too_large", "The request is larger than " + maxBytes + " bytes."));
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw refuse(req, in, new ApiException(413, "too_large", "The request is larger than " + maxBytes + " bytes."));
            }
        }
        JsonNode node;
        try {
            // Trailing content after the object is refused too: one body, one meaning.
            node = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_request", "The body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "invalid_request", "The body must be a JSON object.");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowedFields.contains(f)) {
                throw new ApiException(400, "invalid_request", "Unknown field '" + f + "'.", f);
            }
        }
        return node;
    }

    /** Reads and drops the rest of a refused body when it is small enough (see {@link #DRAIN_LIMIT}), then gives the refusal. */
    private static ApiException refuse(HttpServletRequest req, InputStream open, ApiException refusal) throws IOException {
        if (req.getContentLengthLong() > DRAIN_LIMIT) {
            return refusal;
        }
        InputStream in = open != null ? open : req.getInputStream();
        byte[] buf = new byte[8192];
        for (long left = DRAIN_LIMIT; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                break;
            }
            left -= n;
        }
        return refusal;
    }

    /** An optional string field: absent or null gives null; any other type is an error naming the field. */
    public static String optionalString(JsonNode body, String field) throws ApiException {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiException(400, "invalid_request", "'" + field + "' must be a string.", field);
        }
        return v.asText();
    }

    /** An API answer: JSON, and never cached (it is one visitor's data). */
    public static void write(HttpServletResponse res, ObjectMapper json, JsonNode body) throws IOException {
        res.setContentType("application/json;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        json.writeValue(res.getOutputStream(), body);
    }
}
