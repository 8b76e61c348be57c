package org.chatrelay.app;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the application with the web context (declared in web.xml: only a listener the descriptor declares
 * may add servlets and filters, which {@link App} does).
 */
public final class AppListener implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger(AppListener.class);
    private volatile App app;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            app = App.start(event.getServletContext(), Settings.fromSystem());
        } catch (ConfigException e) {
            LOG.error("ChatRelay configuration error: {}", e.getMessage());
            throw e;
        } catch (Exception e) {
            LOG.error("ChatRelay failed to start: {}", e.getMessage(), e);
            throw new IllegalStateException("ChatRelay failed to start", e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (app != null) {
            app.close();
        }
    }
}
