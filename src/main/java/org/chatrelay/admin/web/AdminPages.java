package org.chatrelay.admin.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.admin.report.BadFilterException;
import org.chatrelay.admin.report.ReportFilter;
import org.chatrelay.http.Templates;
import org.thymeleaf.context.WebContext;

/** Renders the admin pages: never cached, the signed-in user shown in the header, errors as a plain page. */
public final class AdminPages {
    private final Templates templates;
    private final List<String> endReasons;

    /** @param endReasons the codes an answer can end with: the report's end_reason filter accepts these only */
    public AdminPages(Templates templates, List<String> endReasons) {
        this.templates = templates;
        this.endReasons = List.copyOf(endReasons);
    }

    public void render(HttpServletRequest req, HttpServletResponse res, int status, String template, Map<String, Object> vars)
            throws IOException {
        WebContext ctx = templates.context(req, res);
        ctx.setVariable("adminUser", req.getRemoteUser());
        ctx.setVariables(vars);
        res.setStatus(status);
        res.setContentType("text/html;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        templates.render(template, ctx, res.getWriter());
    }

    /** The report filter of the request, or empty after a 400 page saying what is wrong with it. */
    public Optional<ReportFilter> filter(HttpServletRequest req, HttpServletResponse res) throws IOException {
        try {
            return Optional.of(ReportFilter.parse(req.getParameterMap(), LocalDate.now(ZoneOffset.UTC), endReasons));
        } catch (BadFilterException e) {
            error(req, res, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return Optional.empty();
        }
    }

    /** A short page with the status and a message meant for the admin: never an exception, SQL or driver text. */
    public void error(HttpServletRequest req, HttpServletResponse res, int status, String message) throws IOException {
        if (res.isCommitted()) {
            return;
        }
        res.resetBuffer();
        render(req, res, status, "admin/error", Map.of("status", status, "message", message));
    }
}
