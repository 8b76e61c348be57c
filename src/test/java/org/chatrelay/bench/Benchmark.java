package org.chatrelay.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * The benchmark: direct to the upstream, through the relay (on H2, on PostgreSQL, with persistence off, and its
 * gateway) and through nginx, every scenario three times in one rig, then {@code docs/benchmarks.md} (each figure's
 * median and spread) and the raw histograms in {@code docs/bench/}. Run by {@code mvn -Pbench verify} (see
 * docs/benchmarks.md), which pins this JVM (upstream, load generator, embedded PostgreSQL) to one core; the relays and
 * nginx are pinned here to {@code -Dbench.proxyCores} (default core 1).
 *
 * <p>Scenarios: (a) one stream at a time, (p) 50 paced live streams per target (CPU per delta, the capacity figure),
 * (c) idle streams, (e) the chat page in Chromium, (f) the database's side; (b), the ramp of concurrent streams, only
 * when named in {@code bench.only} (on a shared machine its clean count measures the neighbours).
 *
 * <p>Options (system properties): {@code bench.runs} (3), {@code bench.streams} (a, 100 per run), {@code bench.levels}
 * (b), {@code bench.idle} (c, 10000), {@code bench.quick=true} (a short run to try the rig: one run, 12 streams, 500
 * idle, a shorter answer in the browser; writes to target/bench instead of docs), {@code bench.jfr=true} (flight
 * recordings of the relays into target/bench), {@code bench.only=a} (only the scenarios named, e.g. {@code a} or
 * {@code pc}: printed, nothing written; for profiling), {@code bench.targets=relay,nginx} (only those targets) and,
 * when the class is run directly rather than through Maven, {@code bench.war.relay-nopersist=PATH} (another build in
 * that node's place, e.g. main's for a before/after run).
 */
public final class Benchmark {
    private static final String BEGIN = "<!-- bench:begin (written by mvn -Pbench verify; edit outside these markers) -->";
    private static final String END = "<!-- bench:end -->";
    static final String ALL = "apcef";
    /** Live streams in (p): the "paced 50-stream load". */
    static final int PACED = 50;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Boolean.getBoolean("bench.quick");
        int runs = Integer.parseInt(property("bench.runs", quick ? "1" : "3"));
        int streams = Integer.parseInt(property("bench.streams", quick ? "12" : "100"));
        int idle = Integer.parseInt(property("bench.idle", quick ? "500" : "10000"));
        List<Integer> levels = Arrays.stream(property("bench.levels", quick ? "50,100,200" : "50,100,200,300,400,500,600,800,1000,1200,1500,2000")
                .split(",")).map(String::trim).map(Integer::valueOf).toList();
        Path docs = Path.of(property("bench.out", quick ? "target/bench" : "docs"));
        String only = property("bench.only", ALL);
        String proxyCores = property("bench.proxyCores", "1");
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverage();
        System.out.printf("[bench] load average %s; this JVM (upstream + load generator) on cores %s, relays and nginx on %s%n", loadBefore,
                Machine.affinity(ProcessHandle.current().pid()), proxyCores);
        try (Rig rig = Rig.start(proxyCores, Boolean.getBoolean("bench.jfr"))) {
            String pinning = String.format("upstream, load generator and embedded PostgreSQL (one JVM and its children) on core %s; "
                    + "the four relays and nginx on core %s (`taskset -c`, checked: relay %s, nginx %s)", Machine.affinity(ProcessHandle.current().pid()),
                    proxyCores, Machine.affinity(rig.relayTarget.pid()), Machine.affinity(rig.nginxTarget.pid()));
            System.out.println("[bench] " + pinning);
            warmUp(rig, quick);
            rig.startRecordings();
            DatabaseBench.Snapshot pgBefore = DatabaseBench.Snapshot.of(rig.pgUrl);
            List<Run> done = new ArrayList<>();
            for (int r = 1; r <= runs; r++) {
                System.out.printf("[bench] run %d of %d%n", r, runs);
                Run run = new Run(r);
                if (only.contains("a")) {
                    run.sequential = sequential(rig, streams);
                }
                if (only.contains("p")) {
                    paced(rig, run);
                }
                if (only.contains("c")) {
                    run.idle = IdleStreams.run(rig.load, rig.relayTarget, idle);
                    rig.upstream.cutAll();
                    settle(rig.relayTarget);
                }
                if (only.contains("e")) {
                    run.browser = BrowserBench.run(rig.relayTarget, quick ? BrowserBench.QUICK : BrowserBench.SHAPE);
                }
                done.add(run);
            }
            DatabaseBench.Writes writes = null;
            DatabaseBench.Absorb absorb = null;
            if (only.contains("f")) {
                Thread.sleep(DatabaseBench.Snapshot.SETTLE_MS);
                writes = DatabaseBench.Writes.between(pgBefore, DatabaseBench.Snapshot.of(rig.pgUrl), answers(rig.pgTarget, done));
                System.out.printf("[bench] (f) relay-pg per answer: %.2f commits, %.2f rows inserted, %.2f updated, %.0f bytes%n",
                        writes.commits(), writes.inserted(), writes.updated(), writes.bytes());
                absorb = DatabaseBench.absorb(quick ? 3_000 : DatabaseBench.ABSORB_MS);
            }
            Ramp.Result ramp = only.contains("b") ? ramp(rig, levels) : null;
            rig.dumpRecordings(Path.of("target", "bench"));
            if (!only.equals(ALL) && !only.equals(ALL + "b")) {
                return;
            }
            long seconds = (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000;
            Report report = new Report(rig, done, ramp, writes, absorb);
            String header = "Run " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(started.atOffset(ZoneOffset.UTC).withNano(0)) + " UTC by `mvn -Pbench verify"
                    + (quick ? " -Dbench.quick=true" : "") + "`, " + seconds / 60 + " min " + seconds % 60 + " s, " + runs + " run(s) of each scenario.\n\n"
                    + "- Machine: " + Machine.describe() + ".\n"
                    + "- Pinning: " + pinning + ".\n"
                    + "- Relay JVMs: `" + Rig.relayJvm() + "`, Jetty 12 from `jetty-config/`; nginx `worker_processes 1`.\n"
                    + "- Load average (1 / 5 / 15 min) at the start: " + loadBefore + "; at the end: " + Machine.loadAverage() + ".\n"
                    + "- A figure is the median of the runs, with its spread (max − min) / median in brackets; a spread over 20% is bold and"
                    + " marked ⚠ (the runs disagree: read it as noise).\n\n";
            String body = header + report.sequential(streams) + report.paced() + report.idle() + report.persistence() + report.browser()
                    + report.database() + (ramp == null ? "" : report.ramp()) + report.goals() + histograms(docs, done, ramp, rig.targets());
            write(docs, body);
            System.out.println(body);
        }
    }

    /** The answers the target's node opened in the runs' (a) and (p). */
    private static long answers(Target t, List<Run> runs) {
        long n = 0;
        for (Run r : runs) {
            n += r.sequential != null && r.sequential.containsKey(t) ? r.sequential.get(t).streams : 0;
            n += r.paced.containsKey(t) ? r.paced.get(t).streams() : 0;
        }
        return n;
    }

    private static Map<Target, Sequential.Figures> sequential(Rig rig, int streams) throws Exception {
        System.out.println("[bench] (a) " + streams + " sequential streams per target");
        int connections = rig.upstream.connections.get();
        Map<Target, Sequential.Figures> seq = Sequential.run(rig.load, rig.targets(), streams, Shape.ON_THE_BENCH);
        System.out.printf("[bench] (a) the upstream accepted %d connections for %d streams%n", rig.upstream.connections.get() - connections,
                streams * rig.targets().size());
        Sequential.Figures direct = seq.get(rig.direct);
        for (Target t : rig.targets()) {
            Sequential.Figures f = seq.get(t);
            System.out.printf("[bench] (a) %-16s TTFT p50 %s p99 %s, added p50 %s p99 %s, gap p99 %s, %.1f ms CPU per answer%s%n", t.name(),
                    Report.ms(Report.p(f.ttft, 50)), Report.ms(Report.p(f.ttft, 99)),
                    direct == null ? "?" : Report.ms(Report.p(f.ttft, 50) - Report.p(direct.ttft, 50)),
                    direct == null ? "?" : Report.ms(Report.p(f.ttft, 99) - Report.p(direct.ttft, 99)),
                    Report.ms(Report.p(f.gaps, 99)), f.cpuMsPerStream, f.failed == 0 ? "" : ", " + f.failed + " failed: " + f.firstError);
        }
        return seq;
    }

    /**
     * Scenario (p): {@link #PACED} live streams at 50 deltas/s through each target in turn; the target's CPU per delta
     * relayed is its capacity figure (a core relays 1 s / that many deltas a second, so 20,000 / µs-per-delta streams).
     */
    private static void paced(Rig rig, Run run) throws Exception {
        for (Target t : Sequential.rotated(rig.targets(), run.number)) {
            Ramp.Step s = Ramp.step(rig.load, t, PACED);
            run.paced.put(t, s);
            System.out.printf("[bench] (p) %-16s %d streams: %d complete, %d clean, gap p99 %.1f ms, %.0f µs CPU per delta (%.0f%% of a core)%n",
                    t.name(), s.streams(), s.complete(), s.clean(), s.p99GapUs() / 1e3, s.cpuUsPerDelta(), s.proxyCpuShare() * 100);
        }
    }

    private static Ramp.Result ramp(Rig rig, List<Integer> levels) throws Exception {
        System.out.println("[bench] (b) ramp " + levels);
        Ramp.Result ramp = Ramp.run(rig.load, rig.targets(), levels);
        System.out.println("[bench] (b) highest clean counts " + ramp.best().entrySet().stream().map(e -> e.getKey().name() + "=" + e.getValue()).toList());
        return ramp;
    }

    /** A system property; Maven passes the unset ones as empty. */
    private static String property(String name, String fallback) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /**
     * JIT, connection pools and the relays' databases warm before anything is measured: short fast streams (enough for
     * the request path to reach the optimizing compiler, which takes thousands of calls), then a step of paced
     * concurrent streams (the paths a live stream takes: back-pressure, coalescing, timers), then a wait until the
     * proxies' CPU is quiet (on one core the JIT compiler threads otherwise keep competing with the relay for a minute).
     */
    private static void warmUp(Rig rig, boolean quick) throws Exception {
        Shape fast = new Shape(16, 16, 0, 0);
        for (Target t : rig.targets()) {
            long t0 = System.nanoTime();
            int rounds = t.relay() ? (quick ? 30 : 200) : 30;
            for (int round = 0; round < rounds; round++) {
                List<CompletableFuture<StreamProbe>> batch = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    batch.add(rig.load.open(t, fast, Sequential.histogram(), () -> { }).done);
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
            }
            StreamProbe last = rig.load.open(t, Shape.ON_THE_BENCH, Sequential.histogram(), () -> { }).done.join();
            if (!last.complete()) {
                throw new IllegalStateException("warm-up stream through " + t.name() + " failed: " + last.error());
            }
            if (t.relay()) {
                Ramp.step(rig.load, t, 150);
                if (!quick) {
                    Ramp.step(rig.load, t, 150);
                }
            }
            System.out.printf("[bench] warmed up %s: %d fast streams, paced ones, in %.1f s%n", t.name(), rounds * 16 + 1,
                    (System.nanoTime() - t0) / 1e9);
        }
        for (Target t : rig.targets()) {
            if (t.pid() > 0) {
                settle(t);
            }
        }
    }

    /** Waits (at most 60 s) until the target's process used under 3% of a core for a whole second. */
    static void settle(Target t) throws InterruptedException {
        long t0 = System.nanoTime();
        long busy;
        do {
            long before = ProcessStats.cpuMillis(t.pid());
            Thread.sleep(1000);
            busy = ProcessStats.cpuMillis(t.pid()) - before;
        } while (busy > 30 && System.nanoTime() - t0 < 60_000_000_000L);
        System.out.printf("[bench] %s quiet after %.1f s (%d ms CPU in the last second)%n", t.name(), (System.nanoTime() - t0) / 1e9, busy);
    }

    private static String histograms(Path docs, List<Run> runs, Ramp.Result ramp, List<Target> targets) throws Exception {
        Path dir = docs.resolve("bench");
        Files.createDirectories(dir);
        // A ramp's file is named by its best level: the last run's files go, so no stale one is left behind.
        try (var old = Files.newDirectoryStream(dir, "*.hgrm")) {
            for (Path f : old) {
                Files.delete(f);
            }
        }
        List<String> names = new ArrayList<>();
        for (Target t : targets) {
            Histogram ttft = Sequential.histogram();
            Histogram gaps = Sequential.histogram();
            Histogram paced = Sequential.histogram();
            for (Run r : runs) {
                ttft.add(r.sequential.get(t).ttft);
                gaps.add(r.sequential.get(t).gaps);
                paced.add(r.paced.get(t).gaps());
            }
            names.add(save(dir, "a-ttft-" + t.name(), ttft));
            names.add(save(dir, "a-gaps-" + t.name(), gaps));
            names.add(save(dir, "p-gaps-" + t.name(), paced));
            Ramp.Step best = ramp == null ? null : ramp.bestStep(t);
            if (best != null) {
                names.add(save(dir, "b-gaps-" + t.name() + "-" + best.streams(), best.gaps()));
            }
        }
        return "Raw histograms of all runs together (HdrHistogram percentile distributions, values in ms): "
                + String.join(", ", names.stream().map(n -> "[" + n + "](bench/" + n + ")").toList()) + ".\n";
    }

    private static String save(Path dir, String name, Histogram h) throws Exception {
        String file = name + ".hgrm";
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(file)), false, StandardCharsets.UTF_8)) {
            h.outputPercentileDistribution(out, 1000.0);
        }
        return file;
    }

    /** Replaces what the last run wrote between the markers; the text around them (analysis, notes) stays. */
    private static void write(Path docs, String body) throws Exception {
        Path md = docs.resolve("benchmarks.md");
        Files.createDirectories(docs);
        String old = Files.exists(md) ? Files.readString(md) : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
        int from = old.indexOf(BEGIN);
        int to = old.indexOf(END);
        if (from < 0 || to < from) {
            throw new IllegalStateException(md + " lost its markers " + BEGIN + " … " + END);
        }
        Files.writeString(md, old.substring(0, from) + BEGIN + "\n\n" + body + "\n" + old.substring(to));
    }
}
