package org.chatrelay.app;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Adds servlets and filters to the web context as web.xml would, but as instances built with their dependencies.
 * Filters run in the order they are added here, after those web.xml declares.
 */
final class Registrar {
    private final ServletContext context;

    Registrar(ServletContext context) {
        this.context = context;
    }

    ServletRegistration.Dynamic servlet(String name, Servlet servlet, String... urlPatterns) {
        ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
        if (registration == null) {
            throw new IllegalStateException("servlet '" + name + "' is registered twice");
        }
        Set<String> taken = registration.addMapping(urlPatterns);
        if (!taken.isEmpty()) {
            throw new IllegalStateException("servlet '" + name + "': " + taken + " already mapped to another servlet");
        }
        return registration;
    }

    /** A filter on requests (not error dispatches) to the given paths. */
    void filter(String name, Filter filter, boolean asyncSupported, String... urlPatterns) {
        add(name, filter, asyncSupported).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, urlPatterns);
    }

    /** A filter on requests (not error dispatches) to the named servlets only. */
    void filterServlets(String name, Filter filter, boolean asyncSupported, String... servletNames) {
        add(name, filter, asyncSupported).addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), true, servletNames);
    }

    private FilterRegistration.Dynamic add(String name, Filter filter, boolean asyncSupported) {
        FilterRegistration.Dynamic registration = context.addFilter(name, filter);
        if (registration == null) {
            throw new IllegalStateException("filter '" + name + "' is registered twice");
        }
        registration.setAsyncSupported(asyncSupported);
        return registration;
    }
}
