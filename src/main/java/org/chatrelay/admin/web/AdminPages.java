package org.chatrelay.admin.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.chatrelay.app.App;
import org.thymeleaf.context.WebContext;

/** Renders the admin pages: never cached, the signed-in user shown in the header, errors as a plain page. */
public final class AdminPages {
    private AdminPages() {
    }

    public static void render(HttpServletRequest req, HttpServletResponse res, int status, String template, Map<String, Object> vars)
            throws IOException {
        App app = App.from(req.getServletContext());
        WebContext ctx = app.templates().context(req, res);
        ctx.setVariable("adminUser", req.getRemoteUser());
        ctx.setVariables(vars);
        res.setStatus(status);
        res.setContentType("text/html;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        app.templates().render(template, ctx, res.getWriter());
    }

    /** A short page with the status and a message meant for the admin: never an exception, SQL or driver text. */
    public static void error(HttpServletRequest req, HttpServletResponse res, int status, String message) throws IOException {
        if (res.isCommitted()) {
            return;
        }
        res.resetBuffer();
        render(req, res, status, "admin/error", Map.of("status", status, "message", message));
    }
}
