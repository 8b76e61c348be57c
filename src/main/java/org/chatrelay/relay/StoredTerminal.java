package org.chatrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chatrelay.persistence.StoredAnswer;

/**
 * The terminal event of an answer that ended, rebuilt from its stored rows for a resume: the same {@code done} or
 * {@code error} as {@link AnswerRecord#terminalFrame} builds live (the same code, which reads the same figures from the
 * usage row). A stored error keeps its code, not its sentence, so the sentence is the code's own here; and a live
 * {@code client_gone} sends nothing while a resume of one gets its {@code error}.
 */
final class StoredTerminal {
    private record Said(String message, int status) {
    }

    /** The codes {@link RelayStream} ends with itself; the provider's failures are {@link Rejection}'s. */
    private static final Map<String, Said> SAID = Map.ofEntries(
            Map.entry("client_gone", new Said("The browser went away.", 499)),
            Map.entry("client_stalled", new Said("The browser stopped reading.", 499)),
            Map.entry("upstream_idle_timeout", new Said("The AI provider stopped sending for too long; the answer is incomplete.", 504)),
            Map.entry("first_token_timeout", new Said("The AI provider did not start answering in time.", 504)),
            Map.entry("max_turn_exceeded", new Said("The answer took longer than the allowed maximum.", 504)),
            Map.entry("upstream_cut", new Said("The AI provider's stream ended early; the answer is incomplete.", 502)),
            Map.entry("upstream_protocol", new Said("The AI provider sent a malformed stream.", 502)),
            Map.entry("unsupported_tool_call", new Said("The model asked to call a tool, which this chat does not support.", 502)),
            Map.entry("shutting_down", new Said("This server is restarting; the answer is incomplete. Please send it again.", 503)),
            Map.entry("node_restart", new Said("The server producing this answer stopped; the answer is incomplete.", 503)),
            Map.entry("upstream_unreachable", new Said("The AI provider could not be reached. Please try again.", 502)),
            Map.entry("upstream_connect_timeout", new Said("The AI provider could not be reached in time. Please try again.", 504)),
            Map.entry("upstream_timeout", new Said("The AI provider did not answer in time. Please try again.", 504)),
            Map.entry("upstream_bad_response", new Said("The AI provider answered with something other than a stream.", 502)),
            Map.entry("upstream_busy", new Said("The AI provider is handling as many answers as it may. Please try again shortly.", 503)),
            Map.entry("upstream_auth", new Said("The server's credentials for the AI provider were refused. The operator has been told.", 502)),
            Map.entry("upstream_rate_limited", new Said("The AI provider is rate-limiting requests. Please try again shortly.", 503)),
            Map.entry("upstream_overloaded", new Said("The AI provider is overloaded. Please try again shortly.", 503)),
            Map.entry("upstream_unavailable", new Said("The AI provider failed. Please try again.", 502)),
            Map.entry("upstream_rejected", new Said("The AI provider refused the request.", 502)));

    private StoredTerminal() {
    }

    static byte[] frame(ObjectMapper json, StoredAnswer a) {
        EndReason reason = EndReason.valueOf(a.status().toUpperCase(java.util.Locale.ROOT));
        String code = a.errorCode();
        Said said = code == null ? new Said(null, 200) : SAID.getOrDefault(code, providerError(code));
        Outcome o = new Outcome(reason, code, said.message(), said.status(), Optional.empty(), a.content(), a.finishReason(), null,
                a.promptTokens(), a.completionTokens(), a.ttftMs(), a.totalMs() == null ? 0 : a.totalMs(), null, true, null, null,
                Optional.empty(), List.of(), new Outcome.Thinking(a.reasoning(), a.firstReasoningMs(), a.thinkingMs(), a.reasoningTokens()));
        AnswerRecord r = new AnswerRecord(a.messageId(), a.promptTokens(), a.completionTokens(),
                a.usageSource() == null ? "none" : a.usageSource(), a.costMicros(), a.tokensPerSecond(), true, a.reasoningTokens(),
                a.reasoningSource());
        return r.terminalFrame(json, o);
    }

    /** An error event of the provider's own mid-answer ({@code upstream_<its code>}). */
    private static Said providerError(String code) {
        Rejection r = Rejection.providerError(code.startsWith("upstream_") ? code.substring("upstream_".length()) : code);
        return new Said("The answer was interrupted: " + r.message(), r.httpStatus());
    }
}
