package org.chatrelay.upstream;

import java.util.concurrent.TimeoutException;

/** The relay gave up waiting on an attempt before its response began (our timers, not Jetty's idle timeout). */
public final class UpstreamTimeout extends TimeoutException {
    public enum Phase { CONNECT, RESPONSE }

    private final Phase phase;

    public UpstreamTimeout(Phase phase) {
        super(phase == Phase.CONNECT ? "connect timeout" : "no response in time");
        this.phase = phase;
    }

    public Phase phase() {
        return phase;
    }
}
