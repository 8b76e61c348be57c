package org.chatrelay.cluster;

import java.time.Duration;
import java.time.Instant;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.persistence.StopRequestRepository;
import org.chatrelay.persistence.StopRequestRepository.StopRequest;
import org.chatrelay.relay.RelayService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stop across nodes, through the database: without sticky sessions the load balancer may send
 * {@code POST /api/chat/stop} to a node that does not hold the stream. That node leaves a row; the owning node
 * polls for its rows while it has answers in flight (one indexed query per {@code every}, none when idle).
 */
public final class RemoteStop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteStop.class);

    private final StopRequestRepository stops;
    private final RelayService relay;
    private final String nodeId;
    private final PeriodicTask poller;
    private volatile boolean warned;

    public RemoteStop(StopRequestRepository stops, RelayService relay, String nodeId, Duration every) {
        this.stops = stops;
        this.relay = relay;
        this.nodeId = nodeId;
        this.poller = new PeriodicTask("remote-stop", every, this::poll);
    }

    /**
     * The Stop reached this node but the answer is not live here: leave it for the node that streams it.
     *
     * @return false when the visitor has no such answer streaming anywhere
     */
    public boolean request(String messageId, String visitorId) {
        return stops.request(messageId, visitorId, Instant.now());
    }

    void poll() {
        if (relay.activeStreams() == 0) {
            return;
        }
        try {
            for (StopRequest r : stops.forNode(nodeId)) {
                // The row goes either way: the answer stops now, or it has already ended.
                relay.stop(r.messageId(), r.visitorId());
                stops.delete(r.messageId());
            }
            warned = false;
        } catch (PersistenceException e) {
            // Once per outage, not once a second.
            if (!warned) {
                warned = true;
                LOG.warn("cannot poll stop requests: {}", e.withCause());
            }
        }
    }

    @Override
    public void close() {
        poller.close();
    }
}
