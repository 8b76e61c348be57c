package org.chatrelay.admin.csv;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.chatrelay.admin.report.Quality;
import org.chatrelay.admin.report.Report;

/** The quality and browser tables of the canary comparison as CSV: shares and interval bounds as fractions. */
final class QualityCsv {
    private static final String[] SIGNALS = {"thumbs_up", "regenerated", "stopped", "continued", "edited"};

    private QualityCsv() {
    }

    static void quality(Report r, CsvWriter csv) throws IOException {
        List<Object> header = new ArrayList<>(List.of("arm", "baseline", "answers", "answers_with_messages"));
        for (String s : SIGNALS) {
            header.addAll(List.of(s, s + "_of", s + "_share", s + "_lo", s + "_hi", s + "_diff", s + "_diff_lo", s + "_diff_hi",
                    s + "_significant"));
        }
        csv.row(header.toArray());
        for (Quality.Row q : r.quality()) {
            List<Object> row = new ArrayList<>(List.of(q.arm(), q.baseline(), q.answers(), q.tracked()));
            for (Quality.Rate rate : List.of(q.thumbsUp(), q.regenerated(), q.stopped(), q.continued(), q.edited())) {
                row.addAll(List.of(rate.k(), rate.n(), rate.share(), rate.lo(), rate.hi()));
                row.add(rate.vsBaseline() == null ? null : rate.vsBaseline().estimate());
                row.add(rate.vsBaseline() == null ? null : rate.vsBaseline().lo());
                row.add(rate.vsBaseline() == null ? null : rate.vsBaseline().hi());
                row.add(rate.vsBaseline() == null ? null : rate.significant());
            }
            csv.row(row.toArray());
        }
    }

    static void browser(Report r, CsvWriter csv) throws IOException {
        csv.row("provider", "arm", "answers_with_first_paint", "first_paint_p50_ms", "first_paint_p95_ms", "answers_checked_for_buffering",
                "buffering_suspected", "buffering_suspected_share");
        for (Quality.BrowserRow b : r.browser()) {
            csv.row(b.provider(), b.arm(), b.paints(), b.paintP50(), b.paintP95(), b.checked(), b.buffered(), b.bufferedShare());
        }
    }
}
