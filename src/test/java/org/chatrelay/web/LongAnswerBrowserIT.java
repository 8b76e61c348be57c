package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.chatrelay.testing.FakeUpstream;
import org.junit.jupiter.api.Test;

/**
 * A 20,000-character answer at 200 tokens/s: the page must stay responsive (no long main-thread tasks) and the
 * rendering cost of a frame must not grow with the length of the answer. Prints the figures; asserts only
 * generous bounds.
 */
class LongAnswerBrowserIT extends BrowserScenarios {
    static final int CHARS = 20_000;
    /**
     * Long tasks from a PerformanceObserver, and per animation frame the time from the frame's start to the end of its
     * rendering (a message posted from requestAnimationFrame runs after style, layout and paint), with the length of
     * the streamed text at that moment.
     */
    private static final String PROBE = """
            const perf = window.__perf = {longTasks: [], frames: [], maxSegments: 0, stop: false};
            new PerformanceObserver(list => {
              for (const e of list.getEntries()) perf.longTasks.push(Math.round(e.duration));
            }).observe({type: 'longtask'});
            const channel = new MessageChannel();
            let frameStart = 0;
            channel.port1.onmessage = () => {
              const a = [...document.querySelectorAll('#messages .message[data-role="assistant"]')].pop();
              if (!a || a.dataset.rendered === 'markdown') return;
              const segs = a.querySelectorAll('.text .seg');
              perf.maxSegments = Math.max(perf.maxSegments, segs.length);
              let len = 0;
              for (const s of segs) len += s.firstChild.length;
              perf.frames.push([len, performance.now() - frameStart]);
            };
            (function tick() {
              requestAnimationFrame(() => {
                frameStart = performance.now();
                channel.port2.postMessage(0);
                if (!perf.stop) tick();
              });
            })();
            """;

    @Test
    @SuppressWarnings("unchecked")
    void a_20000_character_answer_streams_without_long_tasks_and_with_a_flat_cost_per_frame() throws Exception {
        page.js(PROBE);
        long started = System.nanoTime();
        page.send("Write a long answer [long:" + CHARS + ":5]");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(120)));
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> perf = (Map<String, Object>) page.js("window.__perf.stop = true; return window.__perf");

        assertEquals(FakeUpstream.longText(CHARS), page.answerSource(), "all 20,000 characters arrived, in order");
        assertEquals("markdown", page.lastAssistant().getDomAttribute("data-rendered"));

        List<Number> longTasks = (List<Number>) perf.get("longTasks");
        long longest = longTasks.stream().mapToLong(Number::longValue).max().orElse(0);
        List<List<Number>> frames = (List<List<Number>>) perf.get("frames");
        long segments = ((Number) perf.get("maxSegments")).longValue();
        double[] medians = new double[4];
        StringBuilder report = new StringBuilder();
        for (int q = 0; q < 4; q++) {
            List<Double> costs = new ArrayList<>();
            long lastLen = -1;
            for (List<Number> f : frames) {
                long len = f.get(0).longValue();
                if (len * 4 / CHARS == q && len != lastLen) {
                    costs.add(f.get(1).doubleValue());
                }
                lastLen = len;
            }
            costs.sort(Double::compare);
            medians[q] = costs.isEmpty() ? 0 : costs.get(costs.size() / 2);
            double p90 = costs.isEmpty() ? 0 : costs.get((int) (costs.size() * 0.9));
            report.append(String.format(Locale.ROOT, "%n  chars %5d-%5d: %4d frames with new text, frame cost median %.2f ms, p90 %.2f ms",
                    q * CHARS / 4, (q + 1) * CHARS / 4, costs.size(), medians[q], p90));
        }
        System.out.printf(Locale.ROOT, "[long answer] %d chars in %.1f s; long tasks (>50 ms): %d, longest main-thread task: %d ms; "
                + "streaming blocks: %d%s%n", CHARS, seconds, longTasks.size(), longest, segments, report);

        assertTrue(segments >= 5, "the streamed text is split into blocks, so appending re-lays out only the last one: " + segments);
        assertTrue(longest < 1000, "no main-thread task near a second during a long answer; longest " + longest + " ms");
        assertTrue(medians[3] <= 3 * medians[0] + 8,
                "the frame cost at the end of the answer stays near the cost at its start:" + report);
    }
}
