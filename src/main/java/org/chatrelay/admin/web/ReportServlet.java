package org.chatrelay.admin.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.chatrelay.admin.chart.Charts;
import org.chatrelay.admin.csv.CsvServlet;
import org.chatrelay.admin.report.Canary;
import org.chatrelay.admin.report.DistinctSketch;
import org.chatrelay.admin.report.Histogram;
import org.chatrelay.admin.report.Quality;
import org.chatrelay.admin.report.Report;
import org.chatrelay.admin.report.ReportFilter;
import org.chatrelay.admin.report.ReportService;
import org.chatrelay.persistence.EndReason;

/** {@code GET /admin}: the usage report for a range of UTC days and optional filters. */
public final class ReportServlet extends HttpServlet {
    private final AdminPages pages;
    private final ReportService reports;
    /** The codes an answer can end with, listed on the page beside the end-reason filter. */
    private final List<String> endReasons;
    /** Gateway keys by id and the name the page shows for each, read per view (a key created since is listed). */
    private final Supplier<Map<String, String>> keyNames;

    public ReportServlet(AdminPages pages, ReportService reports, List<String> endReasons, Supplier<Map<String, String>> keyNames) {
        this.pages = pages;
        this.reports = reports;
        this.endReasons = List.copyOf(endReasons);
        this.keyNames = keyNames;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Optional<ReportFilter> parsed = pages.filter(req, res);
        if (parsed.isEmpty()) {
            return;
        }
        ReportFilter filter = parsed.get();
        Report report = reports.build(filter);
        Map<String, String> keys = keyNames.get();
        pages.render(req, res, HttpServletResponse.SC_OK, "admin/report", Map.ofEntries(
                Map.entry("report", report),
                Map.entry("keyNames", keys),
                Map.entry("byKey", report.byKey().stream().filter(b -> !b.label().isEmpty()).toList()),
                Map.entry("charts", Charts.of(report)),
                Map.entry("fmt", new Format()),
                Map.entry("query", filter.query()),
                Map.entry("exactBelow", Histogram.EXACT_BELOW),
                Map.entry("relativeError", Histogram.RELATIVE_ERROR_TEXT),
                Map.entry("distinctError", DistinctSketch.ERROR_TEXT),
                Map.entry("errorReasons", String.join(", ", Arrays.stream(EndReason.values()).filter(EndReason::isError).map(EndReason::code).sorted().toList())),
                Map.entry("baseline", Canary.BASELINE),
                Map.entry("endReasons", endReasons),
                Map.entry("csvTables", CsvServlet.TABLE_ORDER),
                Map.entry("minQualitySamples", Quality.MIN_SAMPLES),
                Map.entry("buffering", report.browser().stream().anyMatch(b -> b.buffered() > 0))));
    }
}
