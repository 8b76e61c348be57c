package org.chatrelay.testing;

import java.io.File;
import java.net.URI;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The built WAR on an embedded Jetty whose thread pool the test chooses (the Arquillian container has no such knob). */
public final class EmbeddedServer implements AutoCloseable {
    public final Server server;
    public final QueuedThreadPool pool;

    public EmbeddedServer(File war, int maxThreads) throws Exception {
        this(war, maxThreads, false);
    }

    /**
     * @param behindProxy trust X-Forwarded-Proto/Host/Port for scheme, host and port, as jetty-config's forwarded.ini does;
     *                    the client address stays the peer's (the app reads X-Forwarded-For from trusted proxies only)
     */
    public EmbeddedServer(File war, int maxThreads, boolean behindProxy) throws Exception {
        pool = new QueuedThreadPool(maxThreads, 4);
        pool.setName("app");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        if (behindProxy) {
            ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();
            forwarded.setForwardedForHeader(null);
            forwarded.setForwardedHeader(null);
            http.addCustomizer(forwarded);
        }
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebAppContext context = new WebAppContext();
        context.setWar(war.getAbsolutePath());
        context.setContextPath("/");
        context.setThrowUnavailableOnStartupException(true);
        server.setHandler(context);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/");
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
