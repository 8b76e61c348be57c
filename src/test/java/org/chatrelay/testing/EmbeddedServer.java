package org.chatrelay.testing;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.net.URI;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ClassMatcher;
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
        hideTestJacksonModules(context);
        server.setHandler(context);
        server.start();
    }

    /**
     * The official SDKs on the test classpath bring Jackson modules registered as services. The webapp's loader lists
     * its parent's (this classpath's) service files too, so Thymeleaf's findAndRegisterModules would load those modules
     * against the test's Jackson instead of the WAR's ("Jdk8Module not a subtype") and every page would be a 500.
     * Their jars are hidden from the webapp, as a real server, which has no such jars, never shows them.
     */
    private static void hideTestJacksonModules(WebAppContext context) throws IOException {
        List<String> jars = new ArrayList<>();
        Enumeration<URL> services = EmbeddedServer.class.getClassLoader().getResources("META-INF/services/com.fasterxml.jackson.databind.Module");
        while (services.hasMoreElements()) {
            String url = services.nextElement().toString();
            if (url.startsWith("jar:") && url.contains("!/")) {
                jars.add(url.substring("jar:".length(), url.indexOf("!/")));
            }
        }
        if (!jars.isEmpty()) {
            context.addHiddenClassMatcher(new ClassMatcher(jars.toArray(String[]::new)));
        }
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/");
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
