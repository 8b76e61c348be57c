package org.chatrelay.ops;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.chatrelay.persistence.Database;
import org.chatrelay.relay.RelayService;

/**
 * {@code GET /healthz}: the process is alive and the application started (restart it if not).
 * {@code GET /readyz}: it should get traffic — the database answers (and took the last finished answers, which
 * otherwise wait in the spool), every migration is applied and the node is not draining for a stop (take it out of
 * the load balancer if not).
 */
public final class HealthServlet extends HttpServlet {
    private final BooleanSupplier draining;
    private final RelayService relay;
    private final Database database;

    public HealthServlet(BooleanSupplier draining, RelayService relay, Database database) {
        this.draining = draining;
        this.relay = relay;
        this.database = database;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if ("/readyz".equals(req.getServletPath())) {
            if (draining.getAsBoolean()) {
                write(res, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "draining");
            } else if (!relay.storageAvailable()) {
                // Known without waiting for the pool's connection timeout: the last write found no database.
                write(res, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "database unavailable; finished answers are spooled");
            } else if (!database.isReady()) {
                write(res, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "database unavailable or not migrated");
            } else {
                write(res, HttpServletResponse.SC_OK, "ready");
            }
        } else {
            write(res, HttpServletResponse.SC_OK, "ok");
        }
    }

    private static void write(HttpServletResponse res, int status, String text) throws IOException {
        res.setStatus(status);
        res.setContentType("text/plain;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
