package org.chatrelay.upstream;

import java.io.IOException;
import java.util.Map;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.transport.internal.HttpConnectionOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

/**
 * HTTP/1.1 to providers, each response read on the selector thread that saw its bytes arrive. Jetty marks a client
 * connection as blocking, since a response listener might block, and hands every read to a pool thread: a thread
 * wake-up per upstream chunk, which measured as most of the relay's CPU at a few hundred live streams on one core
 * (docs/benchmarks.md). The relay's listeners never block: they decode, queue a frame for the browser's non-blocking
 * sink, or park the demand. So the connections say so, and the selectors (one per core) run them like event loops.
 */
final class EventLoopTransport extends HttpClientTransportOverHTTP {

    EventLoopTransport(ClientConnector connector) {
        super(connector);
    }

    @Override
    public Connection newConnection(EndPoint endPoint, Map<String, Object> context) throws IOException {
        HttpConnectionOverHTTP connection = new HttpConnectionOverHTTP(endPoint, context) {
            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        };
        connection.setInitialize(isInitializeConnections());
        return customize(connection, context);
    }
}
