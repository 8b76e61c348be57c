package org.chatrelay.relay;

/**
 * Told about each answer once, after it was stored: the hook for metrics. Never called per token, so whatever it
 * does stays off the token path. It runs on the recorder's pool; it must not block or throw.
 */
public interface RelayObserver {
    RelayObserver NONE = answer -> { };

    void answerEnded(AnswerSummary answer);
}
