package org.chatrelay.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.persistence.StoredAnswer;

/**
 * The terminal event of an answer that ended, rebuilt from its stored rows for a resume: the same {@code done} or
 * {@code error} as {@link AnswerRecord#terminalFrame} builds live (the same code, which reads the same figures from the
 * usage row). A stored error keeps its code, not its sentence, so the sentence is the code's own here (the relay's
 * endings from {@link StreamEnding}, a provider's from {@link Rejection}); and a live {@code client_gone} sends nothing
 * while a resume of one gets its {@code error}.
 */
final class StoredTerminal {
    private record Said(String message, int status) {
    }

    /** What a restarted node stores for the answers it left open (AnswerRepository.markInterrupted): no rejection of the relay's. */
    private static final Said NODE_RESTART = new Said("The server producing this answer stopped; the answer is incomplete.", 503);

    private StoredTerminal() {
    }

    static byte[] frame(ObjectMapper json, StoredAnswer a) {
        EndReason reason = EndReason.fromCode(a.status()).orElseThrow(() -> new IllegalStateException("answer " + a.messageId() + " has no end: " + a.status()));
        String code = a.errorCode();
        Said said = code == null ? new Said(null, 200) : said(code);
        Outcome o = new Outcome(reason, code, said.message(), said.status(), Optional.empty(), a.content(), a.finishReason(), null,
                a.promptTokens(), a.completionTokens(), a.ttftMs(), a.totalMs() == null ? 0 : a.totalMs(), null, true, null, null,
                Optional.empty(), List.of(), new Outcome.Thinking(a.reasoning(), a.firstReasoningMs(), a.thinkingMs(), a.reasoningTokens()));
        AnswerRecord r = new AnswerRecord(a.messageId(), a.promptTokens(), a.completionTokens(),
                a.usageSource() == null ? "none" : a.usageSource(), a.costMicros(), a.tokensPerSecond(), true, a.reasoningTokens(),
                a.reasoningSource());
        return r.terminalFrame(json, o);
    }

    private static Said said(String code) {
        Optional<Ending> own = Arrays.stream(StreamEnding.values()).map(StreamEnding::ending).filter(e -> code.equals(e.code())).findFirst();
        if (own.isPresent()) {
            return new Said(own.get().message(), own.get().httpStatus());
        }
        if (code.equals("node_restart")) {
            return NODE_RESTART;
        }
        Optional<Rejection> refusal = Rejection.byCode(code);
        if (refusal.isPresent()) {
            return new Said(refusal.get().message(), refusal.get().httpStatus());
        }
        // A provider's error event mid-answer (upstream_<its code>), as UpstreamEvents words it.
        Ending e = Rejection.providerError(code.startsWith("upstream_") ? code.substring("upstream_".length()) : code).interrupted();
        return new Said(e.message(), e.httpStatus());
    }
}
