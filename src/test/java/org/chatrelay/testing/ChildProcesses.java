package org.chatrelay.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jetty and nginx processes the tests started. A failing test may never reach its cleanup, and children outlive
 * the JVM that started them: this hook kills whatever is left when the test JVM exits.
 */
final class ChildProcesses {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "kill-test-children"));
    }

    private ChildProcesses() {
    }

    static Process track(Process p) {
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return p;
    }
}
