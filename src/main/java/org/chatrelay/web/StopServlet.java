package org.chatrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.chatrelay.app.App;

/**
 * {@code POST /api/chat/stop {"messageId"}}: the user pressed Stop. The live stream aborts its upstream request and
 * ends with a {@code done} whose endReason is {@code user_stop}, so the answer is recorded as the user's choice.
 */
public final class StopServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        App app = App.from(getServletContext());
        try {
            JsonNode body = JsonBody.read(req, app.json(), 1024, Set.of("messageId"));
            String id = JsonBody.optionalString(body, "messageId");
            if (id == null || !ChatServlet.ID.matcher(id).matches() || !app.relay().stop(id, Visitor.of(req).id())) {
                throw new ApiException(404, "not_found", "No answer in progress with that id.");
            }
            res.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } catch (ApiException e) {
            JsonErrors.write(res, e.status, e.code, e.getMessage());
        }
    }
}
