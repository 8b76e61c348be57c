package org.chatrelay.relay;

import static org.chatrelay.relay.StopWhileQueuedTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.chatrelay.config.PriceTable;
import org.chatrelay.persistence.AnswerEnd;
import org.chatrelay.persistence.AnswerIds;
import org.chatrelay.persistence.EndReason;
import org.chatrelay.routing.Route;
import org.chatrelay.spool.AnswerSpool;
import org.chatrelay.spool.DurableStore;
import org.chatrelay.spool.SpoolConfig;
import org.chatrelay.tokens.TokenEstimator;
import org.chatrelay.upstream.ChatMessage;
import org.junit.jupiter.api.Test;

/** The recorder's group commit: each answer of a batch gets its terminal event, whatever another answer's numbers do. */
class AnswerRecorderTest {

    private static AnswerRequest request(String id, List<ChatMessage> prompt) {
        return new AnswerRequest(new AnswerIds("c-" + id, "u-" + id, id, "usage-" + id), "v1", new Route("m", "main", List.of()), prompt,
                "r-" + id, CallOptions.chat(() -> { }));
    }

    private static Outcome outcome() {
        return new Outcome(EndReason.COMPLETED, null, null, 200, Optional.empty(), "Paris.", "stop", "m-2025", null, null, 100, 900,
                null, true, null, "p1", Optional.empty(), List.of(), new Outcome.Thinking("", null, null, null));
    }

    /**
     * Review finding 11: one answer whose accounting throws (here its prompt cannot be counted) shares a batch with
     * another; the other is stored and gets its terminal event, and the failed one gets an unstored one at once instead
     * of its POST and its visitor's stream slot waiting for the async timeout.
     */
    @Test
    void an_answer_whose_numbers_cannot_be_computed_gets_an_unstored_end_and_its_batch_is_stored() throws Exception {
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        AnswerSpool.Sink database = ends -> {
            firstWriting.countDown();
            StopWhileQueuedTest.awaitQuietly(goOn);
            ends.stream().map(AnswerEnd::assistantMessageId).forEach(written::add);
        };
        Map<String, AnswerRecord> ended = new ConcurrentHashMap<>();
        AnswerSpool spool = new AnswerSpool(new SpoolConfig(Files.createTempDirectory("recorder-spool"), 1 << 20), new ObjectMapper());
        List<ChatMessage> prompt = List.of(new ChatMessage("user", "What is the capital of France?"));
        try (DurableStore durable = new DurableStore(database, () -> true, spool, List.of());
             AnswerRecorder recorder = new AnswerRecorder(durable, new UsageAccounting(new TokenEstimator(), new PriceTable(Map.of())),
                     new RelayLog())) {
            AnswerClock clock = new AnswerClock(System.nanoTime());
            recorder.record(request("first", prompt), outcome(), clock, r -> ended.put("first", r));
            assertTrue(firstWriting.await(10, TimeUnit.SECONDS), "the first batch is being written");
            // Both queue behind the first batch, so the writer takes them as one batch.
            recorder.record(request("uncountable", null), outcome(), clock, r -> ended.put("uncountable", r));
            recorder.record(request("second", prompt), outcome(), clock, r -> ended.put("second", r));
            goOn.countDown();

            await(() -> ended.containsKey("second") && ended.containsKey("uncountable"), "both answers of the second batch ended");
            assertTrue(ended.get("second").stored(), "the other answer of the batch is stored");
            assertEquals(List.of("first", "second"), written);
            assertFalse(ended.get("uncountable").stored(), "an answer that was not stored said it was");
        }
    }
}
