package org.chatrelay.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** A task run every {@code every} on its own daemon thread: background work must never keep a stopping JVM alive. */
final class PeriodicTask implements AutoCloseable {
    private final ScheduledExecutorService timer;

    PeriodicTask(String threadName, Duration every, Runnable task) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        // An exception escaping a scheduled task cancels every later run: log it and keep the schedule.
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(PeriodicTask.class).warn("{} failed", threadName, e);
            }
        };
        timer.scheduleWithFixedDelay(guarded, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
