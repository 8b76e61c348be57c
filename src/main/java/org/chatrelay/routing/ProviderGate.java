package org.chatrelay.routing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * At most {@code max} live upstream streams to one provider on this node. The excess waits in a bounded queue of
 * callbacks, not of threads: a waiter is a few objects and a timer entry. Callbacks always run outside this gate's
 * lock, so a stream may start its request from inside one; a place freed by one answer is handed to the next on
 * the timer thread, never on the releasing thread (which may hold its own answer's lock).
 */
public final class ProviderGate {
    /** One live stream's place; releasing it twice is harmless. */
    public interface Permit {
        void release();
    }

    private static final Runnable NOTHING = () -> { };
    private final int max;
    private final int queueCapacity;
    private final Duration maxWait;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int active;

    public ProviderGate(int max, int queueCapacity, Duration maxWait, ScheduledExecutorService timer) {
        this.max = max;
        this.queueCapacity = queueCapacity;
        this.maxWait = maxWait;
        this.timer = timer;
    }

    /**
     * Asks for a place. {@code granted} gets it (now or when one frees up), or {@code refused} is told why
     * ({@code queue_full}, {@code queue_wait}); the returned handle withdraws a waiting request.
     */
    public Runnable acquire(Consumer<Permit> granted, Consumer<String> refused) {
        Waiter w = null;
        boolean now = false;
        synchronized (this) {
            if (active < max) {
                active++;
                now = true;
            } else if (waiting.size() < queueCapacity && !maxWait.isZero()) {
                w = new Waiter(granted, refused);
                waiting.addLast(w);
            }
        }
        if (now) {
            granted.accept(new Place());
            return NOTHING;
        }
        if (w == null) {
            refused.accept("queue_full");
            return NOTHING;
        }
        Waiter waiter = w;
        waiter.timeout = timer.schedule(() -> expire(waiter), maxWait.toMillis(), TimeUnit.MILLISECONDS);
        return () -> withdraw(waiter);
    }

    public synchronized int active() {
        return active;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    private void expire(Waiter w) {
        boolean removed;
        synchronized (this) {
            removed = waiting.remove(w);
        }
        if (removed) {
            w.refused.accept("queue_wait");
        }
    }

    private void withdraw(Waiter w) {
        synchronized (this) {
            waiting.remove(w);
        }
        w.cancelTimer();
    }

    private void release() {
        Waiter next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                active--;
            }
        }
        if (next != null) {
            // The place passes straight to the oldest waiter: the count does not change.
            next.cancelTimer();
            Runnable handOver = () -> next.granted.accept(new Place());
            try {
                timer.execute(handOver);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                handOver.run();
            }
        }
    }

    private final class Place implements Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                ProviderGate.this.release();
            }
        }
    }

    private static final class Waiter {
        final Consumer<Permit> granted;
        final Consumer<String> refused;
        volatile ScheduledFuture<?> timeout;

        Waiter(Consumer<Permit> granted, Consumer<String> refused) {
            this.granted = granted;
            this.refused = refused;
        }

        void cancelTimer() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
