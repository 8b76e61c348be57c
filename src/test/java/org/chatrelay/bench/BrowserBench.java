package org.chatrelay.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.Browser;
import org.chatrelay.testing.ChatPage;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Scenario (e): the chat page in headless Chromium (Debian's, as the browser tests drive it) receiving a long
 * markdown answer fast: {@link #SHAPE}, 200 deltas a second into a 20,000-character answer through the relay. The page
 * records, from before the question is sent until the answer's final rendering, every main-thread task over 50 ms
 * (Long Tasks API, {@code PerformanceObserver} of {@code longtask}) and the time between animation frames
 * ({@code requestAnimationFrame}); the figures are the longest task and the 95th percentile frame time. Reported,
 * not asserted: the goals are 50 ms and 16 ms.
 */
final class BrowserBench {
    /** 1,250 deltas of 16 characters of markdown every 5 ms: 20,000 characters in 6.25 s. */
    static final Shape SHAPE = new Shape(1250, 16, 5, 0, true);
    static final Shape QUICK = new Shape(250, 16, 5, 0, true);

    /** @param longestTaskAtMs when the longest task started, from the moment the page marked the answer ended (negative: before) */
    record Result(double longestTaskMs, double longestTaskAtMs, int longTasks, double p95FrameMs, double maxFrameMs, int frames, int chars,
                  String status) {
    }

    private static final String WATCH = """
            window.__bench = {tasks: [], starts: [], frames: [], last: 0, on: true, ended: null};
            new PerformanceObserver(list => {
              for (const e of list.getEntries()) { window.__bench.tasks.push(e.duration); window.__bench.starts.push(e.startTime); }
            }).observe({type: 'longtask', buffered: false});
            new MutationObserver(() => {
              if (document.body.dataset.streaming === 'false' && window.__bench.ended === null) window.__bench.ended = performance.now();
              if (document.body.dataset.streaming === 'true') window.__bench.ended = null;
            }).observe(document.body, {attributes: true, attributeFilter: ['data-streaming']});
            const tick = t => {
              const b = window.__bench;
              if (b.last) b.frames.push(t - b.last);
              b.last = t;
              if (b.on) requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
            """;

    private static final String COLLECT = """
            const b = window.__bench; b.on = false;
            return {tasks: b.tasks, starts: b.starts, frames: b.frames, ended: [b.ended === null ? -1 : b.ended]};
            """;

    private BrowserBench() {
    }

    static Result run(Target relay, Shape shape) throws Exception {
        try (Browser browser = Browser.open()) {
            ChatPage page = new ChatPage(browser).open(relay.uri().resolve("/").toString());
            JavascriptExecutor js = browser.driver;
            js.executeScript(WATCH);
            page.send(shape.message());
            // Polled every half second, not ChatPage's 50 ms: each poll is a task on the main thread being measured.
            String status = new WebDriverWait(browser.driver, Duration.ofMillis(shape.durationMs() + 60_000), Duration.ofMillis(500))
                    .until(d -> {
                        var answers = d.findElements(By.cssSelector("#messages .message[data-role='assistant']"));
                        if (answers.isEmpty()) {
                            return null;
                        }
                        String s = answers.get(answers.size() - 1).getDomAttribute("data-status");
                        boolean idle = "false".equals(d.findElement(By.tagName("body")).getDomAttribute("data-streaming"));
                        return s == null || ChatPage.RUNNING.contains(s) || !idle ? null : s;
                    });
            // Two more frames, so the final rendering's own task and frame are in the figures.
            Thread.sleep(200);
            @SuppressWarnings("unchecked")
            Map<String, List<Number>> got = (Map<String, List<Number>>) js.executeScript(COLLECT);
            List<Double> tasks = got.get("tasks").stream().map(Number::doubleValue).toList();
            List<Double> starts = got.get("starts").stream().map(Number::doubleValue).toList();
            double ended = got.get("ended").get(0).doubleValue();
            int longest = tasks.isEmpty() ? -1 : tasks.indexOf(tasks.stream().max(Double::compare).orElseThrow());
            List<Double> frames = got.get("frames").stream().map(Number::doubleValue).sorted().toList();
            int chars = page.answerSource().length();
            double p95 = frames.isEmpty() ? Double.NaN : frames.get((int) Math.ceil(0.95 * frames.size()) - 1);
            Result r = new Result(longest < 0 ? 0 : tasks.get(longest), longest < 0 || ended < 0 ? Double.NaN : starts.get(longest) - ended, tasks.size(), p95,
                    frames.isEmpty() ? Double.NaN : frames.get(frames.size() - 1), frames.size(), chars, status);
            System.out.printf("[bench] (e) browser: %s, %d characters; longest task %.0f ms (%+.0f ms from the answer's end; %d over 50 ms),"
                    + " frame p95 %.1f ms, max %.1f ms over %d frames%n", status, chars, r.longestTaskMs(), r.longestTaskAtMs(), r.longTasks(),
                    r.p95FrameMs(), r.maxFrameMs(), r.frames());
            return r;
        }
    }
}
