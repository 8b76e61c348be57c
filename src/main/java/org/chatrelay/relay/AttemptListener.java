package org.chatrelay.relay;

import org.chatrelay.routing.ProviderGate;
import org.chatrelay.upstream.ExchangeListener;
import org.chatrelay.upstream.StreamHandler;
import org.chatrelay.upstream.UpstreamFailure;
import org.chatrelay.upstream.sse.SseEvent;

/**
 * What one attempt's exchange and its dialect report, passed on: output and pass-through events to the
 * {@link RelayStream}, the events that end the attempt to {@link UpstreamEvents}, its stream facts to the
 * {@link Attempt}. It joins surrogate pairs split across chunks and gives the provider's place back once the exchange
 * is over. The joiners need no lock: an exchange's content arrives by demand, one chunk at a time, and its end after it
 * (upstream/StreamExchange).
 */
final class AttemptListener implements StreamHandler, ExchangeListener {
    private final Attempt a;
    private final UpstreamEvents events;
    private final ProviderGate.Permit permit;
    private final SurrogateJoiner joiner = new SurrogateJoiner();
    /** Reasoning is a text of its own: a pair split across its chunks is joined apart from the answer's. */
    private final SurrogateJoiner reasoningJoiner = new SurrogateJoiner();

    AttemptListener(Attempt a, ProviderGate.Permit permit) {
        this.a = a;
        this.events = a.stream.events();
        this.permit = permit;
    }

    // ---- exchange lifecycle: the permit goes back as soon as the exchange is over, whoever ended it ----

    @Override
    public void onRequestSent() {
        a.requestSent = true;
    }

    @Override
    public void onAccepted(int status) {
        a.stream.onAccepted(a, status);
    }

    @Override
    public void onRejected(UpstreamFailure failure) {
        permit.release();
        events.onRejected(a, failure);
    }

    @Override
    public void onEnded(Throwable failure) {
        permit.release();
        flushText();
        events.onEnded(a, failure);
    }

    @Override
    public void onDecodeFailure(RuntimeException e) {
        events.onDecodeFailure(a, e);
    }

    @Override
    public boolean readyForMore() {
        return a.stream.readyForMore();
    }

    // ---- dialect events ----

    @Override
    public void onRawEvent(SseEvent event) {
        a.stream.onRaw(a, event);
    }

    @Override
    public void onText(String text) {
        // A half pair the reasoning still holds ends with it: its U+FFFD goes out before the first answer piece, never after.
        flushReasoning();
        output(RelayStream.Output.TEXT, joiner.join(text));
    }

    private void flushText() {
        flushReasoning();
        output(RelayStream.Output.TEXT, joiner.flush());
    }

    private void flushReasoning() {
        output(RelayStream.Output.REASONING, reasoningJoiner.flush());
    }

    @Override
    public void onReasoning(String text) {
        output(RelayStream.Output.REASONING, reasoningJoiner.join(text));
    }

    /** A joiner's piece, if it gave one (null or empty while it holds half a pair). */
    private void output(RelayStream.Output kind, String piece) {
        if (piece != null && !piece.isEmpty()) {
            a.stream.onOutput(a, kind, piece);
        }
    }

    @Override
    public void onFinish(String reason) {
        a.finishReason(reason);
    }

    @Override
    public void onUsage(Integer prompt, Integer completion) {
        a.usage(prompt, completion);
    }

    @Override
    public void onReasoningTokens(int tokens) {
        a.reasoningTokens(tokens);
    }

    @Override
    public void onModel(String model) {
        a.modelReported(model);
    }

    @Override
    public void onProviderError(String code, String message) {
        events.onProviderError(a, code);
    }

    @Override
    public void onToolCall() {
        events.onToolCall(a);
    }

    @Override
    public void onTerminator() {
        flushText();
        events.onTerminator(a);
    }

    @Override
    public void onProtocolError(String message) {
        events.onProtocolError(a, message);
    }
}
