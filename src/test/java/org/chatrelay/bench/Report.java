package org.chatrelay.bench;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one run as Markdown: one table per scenario, persistence on against off, and the goals. "Added"
 * is a target's percentile minus the same percentile straight to the upstream, measured in the same run.
 */
final class Report {
    private final Map<Target, Sequential.Figures> seq;
    private final Ramp.Result ramp;
    private final IdleStreams.Result idle;
    private final Target direct;
    private final Target relay;
    private final Target noPersist;
    private final Target nginx;

    Report(Rig rig, Map<Target, Sequential.Figures> seq, Ramp.Result ramp, IdleStreams.Result idle) {
        this.seq = seq;
        this.ramp = ramp;
        this.idle = idle;
        this.direct = rig.direct;
        this.relay = rig.relayTarget;
        this.noPersist = rig.noPersistTarget;
        this.nginx = rig.nginxTarget;
    }

    String sequential(int streams) {
        StringBuilder b = new StringBuilder();
        b.append("### (a) One stream at a time: ").append(streams).append(" streams per target\n\n");
        b.append("Each stream: a role chunk, 64 deltas of 16 bytes every 20 ms, a usage chunk, `[DONE]`. TTFT is from sending the request "
                + "to reading the first delta; a gap is the time between two deltas as the client reads them.\n\n");
        b.append("| target | TTFT p50 | TTFT p99 | added p50 | added p99 | added vs nginx's (p50 / p99) | gap p50 | gap p99 | added gap p99 "
                + "| max gap | failed / late streams |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Target t : seq.keySet()) {
            Sequential.Figures f = seq.get(t);
            boolean base = t == direct;
            b.append("| ").append(t.name()).append(" | ").append(ms(p(f.ttft, 50))).append(" | ").append(ms(p(f.ttft, 99)))
                    .append(" | ").append(base ? "—" : ms(addedTtft(t, 50))).append(" | ").append(base ? "—" : ms(addedTtft(t, 99)))
                    .append(" | ").append(base || t == nginx ? "—" : ratio(addedTtft(t, 50), addedTtft(nginx, 50)) + " / "
                            + ratio(addedTtft(t, 99), addedTtft(nginx, 99)))
                    .append(" | ").append(ms(p(f.gaps, 50))).append(" | ").append(ms(p(f.gaps, 99)))
                    .append(" | ").append(base ? "—" : ms(p(f.gaps, 99) - p(seq.get(direct).gaps, 99)))
                    .append(" | ").append(ms(f.gaps.getMaxValue())).append(" | ").append(f.failed).append(" / ").append(f.late)
                    .append(f.firstError == null ? "" : " (" + f.firstError.replace('|', '/') + ")").append(" |\n");
        }
        return b.append('\n').toString();
    }

    String ramp() {
        StringBuilder b = new StringBuilder("### (b) Concurrent live streams at 50 deltas/s: the highest clean count\n\n");
        b.append("Levels ").append(ramp.steps().stream().map(Ramp.Step::streams).distinct().map(String::valueOf).reduce((x, y) -> x + ", " + y).orElse(""))
                .append("; streams opened at ").append(Ramp.OPEN_PER_SECOND).append("/s, all live together for ").append(Ramp.HOLD_MS / 1000)
                .append(" s. Clean: no stream failed and at least 99% had every delta with no gap over 40 ms; a miss is run once more.\n\n");
        b.append("| target | highest clean count | vs direct | vs nginx | gap p99 there | TTFT p99 there | proxy CPU there (1 core = 100%) |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Target t : ramp.best().keySet()) {
            int n = ramp.best().get(t);
            Ramp.Step s = ramp.bestStep(t);
            b.append("| ").append(t.name()).append(" | ").append(n).append(" | ").append(t == direct ? "—" : ratio(n, ramp.best().get(direct)))
                    .append(" | ").append(t == nginx ? "—" : ratio(n, ramp.best().get(nginx)))
                    .append(" | ").append(s == null ? "—" : ms(s.p99GapUs())).append(" | ").append(s == null ? "—" : ms(s.p99TtftUs()))
                    .append(" | ").append(s == null || Double.isNaN(s.proxyCpuShare()) ? "—" : String.format("%.0f%%", s.proxyCpuShare() * 100))
                    .append(" |\n");
        }
        b.append("\n<details><summary>Every step</summary>\n\n| target | streams | complete | clean | gap p50 | gap p99 | max gap | TTFT p99 "
                + "| proxy CPU | clean step |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Ramp.Step s : ramp.steps()) {
            b.append("| ").append(s.target().name()).append(" | ").append(s.streams()).append(" | ").append(s.complete()).append(" | ")
                    .append(s.clean()).append(" | ").append(ms(s.p50GapUs())).append(" | ").append(ms(s.p99GapUs())).append(" | ")
                    .append(ms(s.maxGapUs())).append(" | ").append(ms(s.p99TtftUs())).append(" | ")
                    .append(Double.isNaN(s.proxyCpuShare()) ? "—" : String.format("%.0f%%", s.proxyCpuShare() * 100)).append(" | ")
                    .append(s.isClean() ? "yes" : "no" + (s.firstError() == null ? "" : " (" + s.firstError().replace('|', '/') + ")")).append(" |\n");
        }
        return b.append("\n</details>\n\n").toString();
    }

    String idle() {
        IdleStreams.Result r = idle;
        return "### (c) Open, mostly idle streams through the relay (persistence on)\n\n"
                + "Each stream got its first delta at once and then one every 20 s; the relay's 15 s heartbeat also runs. Heap is the live "
                + "objects after a full collection (`jcmd GC.class_histogram`); RSS is the relay JVM's VmRSS.\n\n"
                + "| streams open | failed | opened in | heap before → after | heap per stream | RSS before → after | RSS per stream |\n"
                + "|---|---|---|---|---|---|---|\n"
                + String.format("| %d%s | %d | %.1f s | %.1f → %.1f MiB | %.1f KiB | %.1f → %.1f MiB | %.1f KiB |%n%n", r.opened(),
                r.opened() < r.wanted() ? " of " + r.wanted() + " wanted" : "", r.failed(), r.openMs() / 1000.0, r.heapBeforeKb() / 1024.0,
                r.heapAfterKb() / 1024.0, r.heapPerStreamKb(), r.rssBeforeKb() / 1024.0, r.rssAfterKb() / 1024.0, r.rssPerStreamKb())
                + (r.wanted() > r.opened() + r.failed() ? "Fewer than " + r.wanted() + ": each relayed stream holds two sockets in the relay "
                + "and two in the load generator, and this machine caps open files at " + r.filesLimit() + " per process (a hard limit "
                + "the benchmark cannot raise).\n\n" : "");
    }

    String persistence() {
        int on = ramp.best().get(relay);
        int off = ramp.best().get(noPersist);
        return "### (d) Persistence on against off\n\n| figure | on | off | cost of persistence |\n|---|---|---|---|\n"
                + row("TTFT p50 (a)", p(seq.get(relay).ttft, 50), p(seq.get(noPersist).ttft, 50))
                + row("TTFT p99 (a)", p(seq.get(relay).ttft, 99), p(seq.get(noPersist).ttft, 99))
                + row("added TTFT p50 (a)", addedTtft(relay, 50), addedTtft(noPersist, 50))
                + row("added TTFT p99 (a)", addedTtft(relay, 99), addedTtft(noPersist, 99))
                + row("gap p99 (a)", p(seq.get(relay).gaps, 99), p(seq.get(noPersist).gaps, 99))
                + "| highest clean count (b) | " + on + " | " + off + " | " + (off == 0 ? "—" : pct(1 - on / (double) off)) + " |\n\n";
    }

    String goals() {
        double a50 = addedTtft(relay, 50);
        double a99 = addedTtft(relay, 99);
        double n50 = addedTtft(nginx, 50);
        double n99 = addedTtft(nginx, 99);
        int clean = ramp.best().get(relay);
        int nginxClean = ramp.best().get(nginx);
        double ttftCost = p(seq.get(relay).ttft, 50) / (double) p(seq.get(noPersist).ttft, 50) - 1;
        int off = ramp.best().get(noPersist);
        double countCost = off == 0 ? 0 : 1 - clean / (double) off;
        return "### Goals (relay with persistence, against this run's direct and nginx figures)\n\n| goal | measured | met |\n|---|---|---|\n"
                + goal("added TTFT p50 ≤ 0.5 ms", ms(a50), a50 <= 500)
                + goal("added TTFT p99 ≤ 1.5 ms", ms(a99), a99 <= 1500)
                + goal("added TTFT ≤ 1.5× nginx's", ratio(a50, n50) + " (p50), " + ratio(a99, n99) + " (p99)", a50 <= 1.5 * n50 && a99 <= 1.5 * n99)
                + goal("≥ 400 clean streams at 50 deltas/s", String.valueOf(clean), clean >= 400)
                + goal("≥ 0.8× nginx's clean count", ratio(clean, nginxClean), clean >= 0.8 * nginxClean)
                + goal("≤ 40 KB heap per idle stream", String.format("%.1f KiB", idle.heapPerStreamKb()), idle.heapPerStreamKb() <= 40 * 1000 / 1024.0)
                + goal("persistence costs ≤ 10%", pct(ttftCost) + " of TTFT p50, " + pct(countCost) + " of the clean count",
                ttftCost <= 0.10 && countCost <= 0.10)
                + '\n';
    }

    private String row(String what, double on, double off) {
        return "| " + what + " | " + ms(on) + " | " + ms(off) + " | " + ms(on - off) + " (" + pct(on / off - 1) + ") |\n";
    }

    private static String goal(String what, String measured, boolean met) {
        return "| " + what + " | " + measured + " | " + (met ? "yes" : "**no**") + " |\n";
    }

    /** A target's TTFT percentile minus the direct one, in microseconds. */
    double addedTtft(Target t, double percentile) {
        return seq.containsKey(direct) ? p(seq.get(t).ttft, percentile) - p(seq.get(direct).ttft, percentile) : Double.NaN;
    }

    static long p(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile);
    }

    static String ms(double micros) {
        return String.format(Math.abs(micros) < 10_000 ? "%.2f ms" : "%.1f ms", micros / 1000.0);
    }

    private static String ratio(double a, double b) {
        return b <= 0 ? "—" : String.format("%.2f×", a / b);
    }

    private static String pct(double share) {
        return String.format("%+.0f%%", share * 100);
    }
}
