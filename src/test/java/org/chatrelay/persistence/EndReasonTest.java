package org.chatrelay.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The questions asked of an end reason, against the string lists they replaced. */
class EndReasonTest {
    private static Set<String> codes(java.util.function.Predicate<EndReason> p) {
        return Arrays.stream(EndReason.values()).filter(p).map(EndReason::code).collect(Collectors.toSet());
    }

    @Test
    void every_code_reads_back_as_its_reason_and_a_status_that_is_none_reads_as_empty() {
        for (EndReason r : EndReason.values()) {
            assertEquals(Optional.of(r), EndReason.fromCode(r.code()));
        }
        assertEquals(Optional.empty(), EndReason.fromCode("streaming"));
        assertEquals(Optional.empty(), EndReason.fromCode(null));
        assertFalse(EndReason.isError("streaming"));
    }

    @Test
    void continuable_are_the_answers_the_model_did_not_finish() {
        assertEquals(Set.of("user_stop", "length", "client_gone", "upstream_error", "upstream_cut", "timeout", "interrupted"),
                codes(EndReason::continuable));
    }

    @Test
    void errors_are_the_provider_s_failures_and_the_node_s_interruption() {
        assertEquals(Set.of("upstream_error", "upstream_cut", "timeout", "interrupted"), codes(EndReason::isError));
    }

    @Test
    void done_are_the_model_s_end_and_the_user_s_stop() {
        assertEquals(Set.of("completed", "length", "user_stop"), codes(EndReason::done));
        assertEquals(Set.of("completed", "length"), codes(EndReason::finishedByModel));
        assertEquals(Set.of("user_stop", "client_gone"), codes(EndReason::cancelled));
    }
}
