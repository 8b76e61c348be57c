package org.chatrelay.admin.csv;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.chatrelay.admin.report.ReportFilter;
import org.chatrelay.admin.report.ReportService;
import org.chatrelay.admin.web.AdminPages;

/**
 * {@code GET /admin/export/{table}.csv} with the report's parameters: one of the report's tables, or
 * {@code usage.csv}, every raw usage row of the range, streamed.
 */
public final class CsvServlet extends HttpServlet {
    /** The report's tables, in the order the page links them. */
    public static final List<String> TABLE_ORDER = ReportCsv.TABLES;
    private final AdminPages pages;
    private final ReportService reports;
    private final DataSource dataSource;

    public CsvServlet(AdminPages pages, ReportService reports, DataSource dataSource) {
        this.pages = pages;
        this.reports = reports;
        this.dataSource = dataSource;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String table = path.startsWith("/") && path.endsWith(".csv") ? path.substring(1, path.length() - 4) : "";
        if (!table.equals("usage") && !ReportCsv.TABLES.contains(table)) {
            pages.error(req, res, HttpServletResponse.SC_NOT_FOUND, "No such export.");
            return;
        }
        Optional<ReportFilter> parsed = pages.filter(req, res);
        if (parsed.isEmpty()) {
            return;
        }
        ReportFilter filter = parsed.get();
        res.setContentType("text/csv;charset=utf-8");
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("Content-Disposition", "attachment; filename=\"chatrelay-" + table + "-" + filter.from() + "-" + filter.to() + ".csv\"");
        CsvWriter csv = new CsvWriter(res.getWriter());
        if (table.equals("usage")) {
            UsageCsv.write(dataSource, filter, csv);
        } else {
            ReportCsv.write(table, reports.build(filter), csv);
        }
    }
}
