package org.chatrelay.http;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterWriter;
import java.io.Writer;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.WebApplicationTemplateResolver;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

/** One Thymeleaf engine for the application, built at start-up (the gtvg model). */
public final class Templates {
    private final JakartaServletWebApplication application;
    private final TemplateEngine engine = new TemplateEngine();

    public Templates(ServletContext context) {
        application = JakartaServletWebApplication.buildApplication(context);
        WebApplicationTemplateResolver resolver = new WebApplicationTemplateResolver(application);
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setPrefix("/WEB-INF/templates/");
        resolver.setSuffix(".html");
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine.setTemplateResolver(resolver);
    }

    public WebContext context(HttpServletRequest req, HttpServletResponse res) {
        return new WebContext(application.buildExchange(req, res), req.getLocale());
    }

    public void render(String template, WebContext context, Writer out) {
        engine.process(template, context, new FilterWriter(out) {
            /**
             * Thymeleaf flushes at the end of a page, which commits the response while the servlet still runs. Jetty
             * checks for an unread request body only at completion and only while the response is uncommitted: then
             * it adds "Connection: close" if it cannot drain the body. After an early commit it just closes the
             * connection, unannounced, and a client's next request on it fails (a refused login POST did this).
             * The container flushes when the servlet returns.
             */
            @Override
            public void flush() {
            }
        });
    }
}
