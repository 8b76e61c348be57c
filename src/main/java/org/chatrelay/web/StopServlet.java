package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.chatrelay.cluster.RemoteStop;
import org.chatrelay.http.ApiException;
import org.chatrelay.http.Ids;
import org.chatrelay.http.JsonBody;
import org.chatrelay.http.JsonErrors;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.relay.RelayService;

/**
 * {@code POST /api/chat/stop {"messageId"}}: the user pressed Stop. The live stream aborts its upstream request and
 * ends with a {@code done} whose endReason is {@code user_stop}, so the answer is recorded as the user's choice.
 * 204 when the answer streams on this node; 202 when it streams on another, which is told through the database.
 */
public final class StopServlet extends HttpServlet {
    private final ObjectMapper json;
    private final RelayService relay;
    private final RemoteStop remoteStop;

    public StopServlet(ObjectMapper json, RelayService relay, RemoteStop remoteStop) {
        this.json = json;
        this.relay = relay;
        this.remoteStop = remoteStop;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        try {
            JsonNode body = JsonBody.read(req, json, 1024, Set.of("messageId"));
            String id = JsonBody.optionalString(body, "messageId");
            if (id == null || !Ids.UUID.matcher(id).matches()) {
                throw new ApiException(404, "not_found", "No answer in progress with that id.");
            }
            String visitorId = Visitor.of(req).id();
            if (relay.stop(id, visitorId)) {
                res.setStatus(HttpServletResponse.SC_NO_CONTENT);
            } else if (remoteStop.request(id, visitorId)) {
                // Streaming on another node: it picks the request up within a second and ends the stream there.
                res.setStatus(HttpServletResponse.SC_ACCEPTED);
            } else {
                throw new ApiException(404, "not_found", "No answer in progress with that id.");
            }
        } catch (ApiException e) {
            JsonErrors.write(res, e.status, e.code, e.getMessage());
        } catch (PersistenceException e) {
            getServletContext().log("storage unavailable: " + e.withCause());
            JsonErrors.write(res, 503, "storage_unavailable", "The chat history store is unavailable. Please try again.");
        }
    }
}
