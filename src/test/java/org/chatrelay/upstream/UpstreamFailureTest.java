package org.chatrelay.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamFailureTest {

    static UpstreamFailure http(int status) {
        return new UpstreamFailure(UpstreamFailure.Kind.HTTP_STATUS, status, Optional.empty(), "HTTP " + status);
    }

    static UpstreamFailure event(String code) {
        return new UpstreamFailure(UpstreamFailure.Kind.PROVIDER_ERROR, 200, Optional.empty(), code);
    }

    @Test
    void errors_the_request_caused_are_told_apart_from_the_providers_own() {
        for (int status : new int[] {400, 413, 414, 422, 431}) {
            assertEquals(true, http(status).requestCaused(), "HTTP " + status);
        }
        // Our key, the provider's limits, its outages and its configuration (a wrong model or path) stay its failures.
        for (int status : new int[] {401, 403, 404, 408, 409, 429, 500, 502, 503, 529}) {
            assertEquals(false, http(status).requestCaused(), "HTTP " + status);
        }
        assertEquals(true, event("context_length_exceeded").requestCaused());
        assertEquals(true, event("invalid_request_error").requestCaused());
        assertEquals(true, event("request_too_large").requestCaused());
        assertEquals(false, event("overloaded_error").requestCaused());
        assertEquals(false, event("authentication_error").requestCaused());
        assertEquals(false, event(null).requestCaused());
        assertEquals(false, UpstreamFailure.of(UpstreamFailure.Kind.CONNECT, "refused").requestCaused());
    }
}
