package org.chatrelay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Scenario (b): more and more concurrent live streams at 50 deltas a second, until they stop being clean. At each
 * level every target still in the race runs one step (in a rotated order): N streams are opened at an even rate
 * ({@link #OPEN_PER_SECOND}), and each lasts long enough that all N are live together for {@link #HOLD_MS}.
 * A stream is clean when every delta and the end arrived with no gap over twice the pace; a step is clean when no
 * stream failed and at least 99% were clean. A step that is not clean is run once more (a neighbour's burst on a
 * shared machine should not end a target's ramp); a second miss ends it: its count is the last clean level.
 */
final class Ramp {
    static final int OPEN_PER_SECOND = 250;
    static final int HOLD_MS = 2_000;
    static final int PACE_MS = 20;
    static final double CLEAN_SHARE = 0.99;

    /** One step of one target. */
    record Step(Target target, int streams, int complete, int clean, long p50GapUs, long p99GapUs, long maxGapUs, long p99TtftUs,
                double proxyCpuShare, double cpuUsPerDelta, double jitUsPerDelta, String firstError, Histogram gaps) {
        boolean isClean() {
            return complete == streams && clean >= Math.ceil(CLEAN_SHARE * streams);
        }
    }

    /** The highest clean level per target (0: not even the first), and every step run. */
    record Result(Map<Target, Integer> best, List<Step> steps) {
        Step bestStep(Target t) {
            return steps.stream().filter(s -> s.target() == t && s.streams() == best.get(t) && s.isClean()).reduce((a, b) -> b).orElse(null);
        }
    }

    private Ramp() {
    }

    static Result run(LoadClient load, List<Target> targets, List<Integer> levels) throws Exception {
        Map<Target, Integer> best = new LinkedHashMap<>();
        targets.forEach(t -> best.put(t, 0));
        List<Target> racing = new ArrayList<>(targets);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < levels.size() && !racing.isEmpty(); i++) {
            int n = levels.get(i);
            for (Target t : Sequential.rotated(List.copyOf(racing), i)) {
                Step s = step(load, t, n);
                steps.add(s);
                print(s);
                if (!s.isClean()) {
                    s = step(load, t, n);
                    steps.add(s);
                    print(s);
                }
                if (s.isClean()) {
                    best.put(t, n);
                } else {
                    racing.remove(t);
                }
            }
        }
        return new Result(best, steps);
    }

    static Step step(LoadClient load, Target t, int n) throws Exception {
        long spreadMs = Math.max(500, n * 1000L / OPEN_PER_SECOND);
        Shape shape = new Shape((int) ((spreadMs + HOLD_MS) / PACE_MS), 16, PACE_MS, 0);
        Histogram gaps = Sequential.histogram();
        Histogram ttft = Sequential.histogram();
        List<StreamProbe> probes = new ArrayList<>(n);
        long cpu0 = t.pid() > 0 ? ProcessStats.cpuMillis(t.pid()) : 0;
        long jit0 = t.pid() > 0 ? ProcessStats.jitCpuMillis(t.pid()) : 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = t0 + TimeUnit.MILLISECONDS.toNanos(spreadMs) * i / n;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            probes.add(load.open(t, shape, gaps, () -> { }));
        }
        int complete = 0;
        int clean = 0;
        String firstError = null;
        for (StreamProbe p : probes) {
            p.done.get(shape.durationMs() + spreadMs + 60_000, TimeUnit.MILLISECONDS);
            complete += p.complete() ? 1 : 0;
            clean += p.clean() ? 1 : 0;
            if (p.ttftNanos() > 0) {
                ttft.recordValue(Math.max(1, p.ttftNanos() / 1000));
            }
            if (firstError == null && !p.complete()) {
                firstError = p.error();
            }
        }
        long wallMs = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
        long jitMs = t.pid() > 0 ? ProcessStats.jitCpuMillis(t.pid()) - jit0 : 0;
        // The JIT compilers' share is left out: a node pays it once after start, and on a loaded core it drags on for
        // minutes, up to 70% of the relay's CPU in a step (perf, 2026-12-06).
        long cpuMs = t.pid() > 0 ? ProcessStats.cpuMillis(t.pid()) - cpu0 - jitMs : -1;
        double cpu = cpuMs >= 0 ? cpuMs / (double) wallMs : Double.NaN;
        // Everything else the proxy did in the step (opening, relaying, storing), per delta it relayed.
        long deltas = (long) n * shape.deltas();
        double perDelta = cpuMs >= 0 ? cpuMs * 1000.0 / deltas : Double.NaN;
        double jitPerDelta = t.pid() > 0 ? jitMs * 1000.0 / deltas : Double.NaN;
        // Let the sockets of this step close before the next one starts.
        Thread.sleep(500);
        return new Step(t, n, complete, clean, gaps.getValueAtPercentile(50), gaps.getValueAtPercentile(99), gaps.getMaxValue(),
                ttft.getValueAtPercentile(99), cpu, perDelta, jitPerDelta, firstError, gaps);
    }

    private static void print(Step s) {
        System.out.printf("[bench] ramp %-16s %5d streams: %5d complete, %5d clean, gap p50 %.1f p99 %.1f max %.1f ms, TTFT p99 %.1f ms,"
                        + " proxy CPU %.0f%% (%.0f µs per delta)%s%n", s.target().name(), s.streams(), s.complete(), s.clean(), s.p50GapUs() / 1e3,
                s.p99GapUs() / 1e3, s.maxGapUs() / 1e3, s.p99TtftUs() / 1e3, s.proxyCpuShare() * 100, s.cpuUsPerDelta(),
                s.isClean() ? "" : "  NOT CLEAN" + (s.firstError() == null ? "" : " (" + s.firstError() + ")"));
    }
}
