package org.chatrelay.upstream;

/** A running upstream request. */
public interface UpstreamExchange {
    /** Abort the upstream HTTP request now (closes its connection, so the provider stops generating). */
    void abort(Throwable cause);

    /** Resume reading after {@link ExchangeListener#readyForMore()} said no. */
    void resume();
}
