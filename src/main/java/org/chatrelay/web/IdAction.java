package org.chatrelay.web;

import jakarta.servlet.http.HttpServletRequest;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.Ids;

/** The {@code /{id}/{action}} of a POST to a resource API ({@code /api/conversations/…}, {@code /api/messages/…}). */
record IdAction(String id, String action) {

    /** @throws ApiException 404 with {@code notFound} unless the path is exactly an id (a UUID) and an action */
    static IdAction of(HttpServletRequest req, String notFound) throws ApiException {
        String[] parts = (req.getPathInfo() == null ? "" : req.getPathInfo()).split("/");
        if (parts.length != 3 || !Ids.UUID.matcher(parts[1]).matches()) {
            throw new ApiException(404, "not_found", notFound);
        }
        return new IdAction(parts[1], parts[2]);
    }
}
