package org.chatrelay.admin.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.admin.chart.Charts;
import org.chatrelay.admin.csv.CsvServlet;
import org.chatrelay.admin.report.Canary;
import org.chatrelay.admin.report.DistinctSketch;
import org.chatrelay.admin.report.Histogram;
import org.chatrelay.admin.report.Quality;
import org.chatrelay.admin.report.Report;
import org.chatrelay.admin.report.ReportFilter;
import org.chatrelay.admin.report.ReportService;
import org.chatrelay.app.App;

/** {@code GET /admin}: the usage report for a range of UTC days and optional filters. */
public final class ReportServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        Optional<ReportFilter> parsed = AdminPages.filter(req, res);
        if (parsed.isEmpty()) {
            return;
        }
        ReportFilter filter = parsed.get();
        App app = App.from(getServletContext());
        Report report = app.admin().reports().build(filter);
        // Keys by id, named as the keys page lists them (prefix and name), for the key filter and breakdown.
        Map<String, String> keyNames = new java.util.LinkedHashMap<>();
        app.gateway().keys().list().forEach(k -> keyNames.put(k.id(), k.prefix() + "… " + k.name()));
        AdminPages.render(req, res, HttpServletResponse.SC_OK, "admin/report", Map.ofEntries(
                Map.entry("report", report),
                Map.entry("keyNames", keyNames),
                Map.entry("byKey", report.byKey().stream().filter(b -> !b.label().isEmpty()).toList()),
                Map.entry("charts", Charts.of(report)),
                Map.entry("fmt", new Format()),
                Map.entry("query", filter.query()),
                Map.entry("exactBelow", Histogram.EXACT_BELOW),
                Map.entry("relativeError", Histogram.RELATIVE_ERROR_TEXT),
                Map.entry("distinctError", DistinctSketch.ERROR_TEXT),
                Map.entry("errorReasons", String.join(", ", ReportService.ERROR_REASONS.stream().sorted().toList())),
                Map.entry("baseline", Canary.BASELINE),
                Map.entry("endReasons", java.util.Arrays.stream(org.chatrelay.relay.EndReason.values()).map(e -> e.code()).toList()),
                Map.entry("csvTables", CsvServlet.TABLE_ORDER),
                Map.entry("minQualitySamples", Quality.MIN_SAMPLES),
                Map.entry("buffering", report.browser().stream().anyMatch(b -> b.buffered() > 0))));
    }
}
