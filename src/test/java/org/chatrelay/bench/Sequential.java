package org.chatrelay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Scenario (a): single streams of the rig's shape, one at a time per target, the targets taking turns (each round
 * in a rotated order, so no target always follows the same one). A target's next stream starts when its last one
 * ended; starts are spread a quarter of a stream apart, so the other targets' streams are mid-way (a few frames a
 * second) when one begins.
 */
final class Sequential {
    /** TTFT and every inter-delta gap of one target, in microseconds, plus its failures. */
    static final class Figures {
        final Histogram ttft = histogram();
        final Histogram gaps = histogram();
        int streams;
        int failed;
        int late;
        String firstError;
        /**
         * CPU the target's process used during the scenario, less its JIT compilers' and less its idle rate over the
         * scenario's length, per stream of its own (NaN without a process).
         */
        double cpuMsPerStream = Double.NaN;
        /**
         * CPU a second the process used with no stream at all (timers, the roll-up, pools polling), measured just
         * before and just after the scenario, the lower of the two: with one answer every 1.3 s per target it would
         * otherwise be charged to the answers. The lower, because a window that catches a collection or the previous
         * scenario's tail is not idle: charged over the whole scenario, one such window made CPU per answer negative.
         */
        double idleMsPerSecond = Double.NaN;
        /** The JIT compilers' CPU in the same time, per stream. */
        double jitMsPerStream = Double.NaN;
    }

    /** Long enough for the 10 ms ticks of /proc's CPU counts to resolve 2 ms a second. */
    static final int IDLE_MS = 5_000;

    private Sequential() {
    }

    static Map<Target, Figures> run(LoadClient load, List<Target> targets, int streams, Shape shape) throws Exception {
        Map<Target, Figures> out = new LinkedHashMap<>();
        Map<Target, StreamProbe> last = new LinkedHashMap<>();
        targets.forEach(t -> out.put(t, new Figures()));
        idle(targets, out);
        Map<Target, Long> cpu = new LinkedHashMap<>();
        Map<Target, Long> jit = new LinkedHashMap<>();
        targets.stream().filter(t -> t.pid() > 0).forEach(t -> {
            cpu.put(t, ProcessStats.cpuMillis(t.pid()));
            jit.put(t, ProcessStats.jitCpuMillis(t.pid()));
        });
        long spacingNanos = TimeUnit.MILLISECONDS.toNanos(shape.durationMs() + 40) / targets.size();
        long t0 = System.nanoTime();
        long nextStart = t0;
        for (int round = 0; round < streams; round++) {
            for (Target t : rotated(targets, round)) {
                StreamProbe previous = last.get(t);
                if (previous != null) {
                    record(out.get(t), previous.done.get(60, TimeUnit.SECONDS));
                }
                long wait = nextStart - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                nextStart = System.nanoTime() + spacingNanos;
                last.put(t, load.open(t, shape, out.get(t).gaps, () -> { }));
            }
        }
        for (Map.Entry<Target, StreamProbe> e : last.entrySet()) {
            record(out.get(e.getKey()), e.getValue().done.get(60, TimeUnit.SECONDS));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<Target, Long> scenarioEnd = new LinkedHashMap<>();
        Map<Target, Long> jitEnd = new LinkedHashMap<>();
        cpu.keySet().forEach(t -> {
            scenarioEnd.put(t, ProcessStats.cpuMillis(t.pid()));
            jitEnd.put(t, ProcessStats.jitCpuMillis(t.pid()));
        });
        Map<Target, Figures> after = new LinkedHashMap<>();
        targets.forEach(t -> after.put(t, new Figures()));
        idle(targets, after);
        cpu.forEach((t, before) -> {
            Figures f = out.get(t);
            f.idleMsPerSecond = Math.min(f.idleMsPerSecond, after.get(t).idleMsPerSecond);
            long jitMs = jitEnd.get(t) - jit.get(t);
            f.cpuMsPerStream = (scenarioEnd.get(t) - before - jitMs - f.idleMsPerSecond * seconds) / streams;
            f.jitMsPerStream = jitMs / (double) streams;
        });
        return out;
    }

    /** Every target's CPU a second over {@link #IDLE_MS} with no stream open (compiler threads left out). */
    private static void idle(List<Target> targets, Map<Target, Figures> out) throws InterruptedException {
        Map<Target, Long> before = new LinkedHashMap<>();
        targets.stream().filter(t -> t.pid() > 0).forEach(t -> before.put(t, ProcessStats.cpuMillis(t.pid()) - ProcessStats.jitCpuMillis(t.pid())));
        Thread.sleep(IDLE_MS);
        before.forEach((t, ms) -> out.get(t).idleMsPerSecond =
                (ProcessStats.cpuMillis(t.pid()) - ProcessStats.jitCpuMillis(t.pid()) - ms) * 1000.0 / IDLE_MS);
    }

    private static void record(Figures f, StreamProbe p) {
        f.streams++;
        if (p.ttftNanos() > 0) {
            f.ttft.recordValue(Math.max(1, p.ttftNanos() / 1000));
        }
        if (!p.complete()) {
            f.failed++;
            if (f.firstError == null) {
                f.firstError = p.error();
            }
        } else if (!p.clean()) {
            f.late++;
        }
    }

    static <T> List<T> rotated(List<T> items, int by) {
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(items.get((i + by) % items.size()));
        }
        return out;
    }

    static Histogram histogram() {
        return new SynchronizedHistogram(1, 600_000_000L, 3);
    }
}
