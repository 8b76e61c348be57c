package org.chatrelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Scenario (c): many open, mostly idle streams through one relay. Each gets its first delta at once, then one every
 * 20 seconds (the relay's heartbeat keeps the browser side busy too); once all are open, the relay's heap after a
 * full collection and its resident set are compared with the same figures before. Each relayed stream holds two
 * sockets in the relay (browser and upstream) and two in this JVM (client and upstream server), so the count is
 * capped by the open-files limit of both processes.
 */
final class IdleStreams {
    /**
     * A delta every 20 s for three minutes: longer than opening them all takes on a loaded machine (a stream that ended
     * before the last one opened would count as failed), and closed by the scenario once measured.
     */
    static final Shape IDLE = new Shape(10, 16, 20_000, 0);
    private static final int OPENING_AT_ONCE = 200;

    record Result(Target target, int wanted, int opened, int failed, long heapBeforeKb, long heapAfterKb, long rssBeforeKb,
                  long rssAfterKb, int filesLimit, String failures, long openMs) {
        double heapPerStreamKb() {
            return opened == 0 ? Double.NaN : (heapAfterKb - heapBeforeKb) / (double) opened;
        }

        double rssPerStreamKb() {
            return opened == 0 ? Double.NaN : (rssAfterKb - rssBeforeKb) / (double) opened;
        }
    }

    private IdleStreams() {
    }

    static Result run(LoadClient load, Target relay, int wanted) throws Exception {
        long self = ProcessHandle.current().pid();
        int limit = Math.min(ProcessStats.openFilesLimit(relay.pid()), ProcessStats.openFilesLimit(self));
        int room = Math.min(ProcessStats.openFilesLimit(relay.pid()) - ProcessStats.openFiles(relay.pid()),
                ProcessStats.openFilesLimit(self) - ProcessStats.openFiles(self));
        int n = Math.min(wanted, (room - 300) / 2);
        System.out.printf("[bench] idle: %d streams wanted, %d fit under the open-files limit %d%n", wanted, n, limit);
        long heapBefore = ProcessStats.heapAfterGcKb(relay.pid());
        long rssBefore = ProcessStats.rssKb(relay.pid());
        Semaphore opening = new Semaphore(OPENING_AT_ONCE);
        List<StreamProbe> probes = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            opening.acquire();
            probes.add(load.open(relay, IDLE, Sequential.histogram(), opening::release));
        }
        // Every stream has had its first delta (or failed) once all permits are back.
        opening.acquire(OPENING_AT_ONCE);
        long openMs = (System.nanoTime() - t0) / 1_000_000;
        int failed = 0;
        Map<String, Integer> why = new TreeMap<>();
        for (StreamProbe p : probes) {
            if (p.done.isDone() || p.ttftNanos() < 0) {
                failed++;
                why.merge(p.done.isDone() ? String.valueOf(p.error()) : "no first delta", 1, Integer::sum);
            }
        }
        int opened = n - failed;
        long heapAfter = ProcessStats.heapAfterGcKb(relay.pid());
        long rssAfter = ProcessStats.rssKb(relay.pid());
        System.out.printf("[bench] idle: %d open (%d failed%s) in %d ms; heap %d -> %d KiB, RSS %d -> %d KiB%n", opened, failed,
                why.isEmpty() ? "" : ": " + why, openMs, heapBefore, heapAfter, rssBefore, rssAfter);
        // Closed as browser tabs close, so the next run does not measure a relay that still holds them.
        probes.forEach(StreamProbe::abort);
        for (StreamProbe p : probes) {
            p.done.get(60, TimeUnit.SECONDS);
        }
        return new Result(relay, wanted, opened, failed, heapBefore, heapAfter, rssBefore, rssAfter, limit, why.toString(), openMs);
    }
}
