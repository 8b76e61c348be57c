package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.chatrelay.testing.ChatPage;
import org.chatrelay.testing.CuttingProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * Issue 16 in headless Chromium: an answer outlives the page's connection. A reload mid-answer picks it up where the
 * server's rendering left it, a network cut of 5 s is bridged by the page's reconnects, a second tab opened
 * mid-answer follows it too and can stop it. Each time the text the page streamed equals the provider's exactly.
 * The detached grace (20 s) outlasts the cut.
 */
class ResumeBrowserIT extends BrowserTest {
    private static final Duration END = Duration.ofSeconds(40);

    @BeforeAll
    static void startApp() throws Exception {
        start("resume-browser", "deepseek-v3.2", "[{'name': 'deepseek-v3.2'}]",
                Map.of("chatrelay.detached.grace.ms", "20000", "chatrelay.checkpoint.ms", "500"));
    }

    /** What the fake provider's {@code [slow:n:ms]} answers: "t0 t1 … t(n-1) ". */
    private static String slowText(int pieces) {
        return IntStream.range(0, pieces).mapToObj(i -> "t" + i + " ").collect(Collectors.joining());
    }

    @Test
    void a_reload_mid_answer_shows_the_text_so_far_and_streams_the_rest_exactly() throws Exception {
        page.send("Count slowly [slow:80:100]");
        page.awaitShown(60, Duration.ofSeconds(10));
        int requests = app.upstream.requests.size();

        page.driver.navigate().refresh();
        awaitResumed(page);
        page.recordStreamedText();
        String from = page.lastAssistant().getDomAttribute("data-resumed-from");
        System.out.println("[resume] reloaded after 60+ characters; the page rendered the stored " + from + " and resumed from there");
        assertTrue(from.matches("0\\.[1-9]\\d*"), "the page showed the checkpointed text and resumed after it: " + from);
        assertTrue(page.driver.findElement(By.id("stop")).isDisplayed(), "Stop is offered for the resumed answer");
        int afterReload = page.shownLength();
        page.awaitShown(afterReload + 10, Duration.ofSeconds(10));
        browser.screenshot("resume-after-reload");

        assertEquals("completed", page.awaitAnswerEnd(END));
        assertEquals(slowText(80), page.streamedText(), "nothing doubled or lost across the reload");
        assertEquals(slowText(80), page.answerSource(), "the stored answer");
        assertEquals(requests, app.upstream.requests.size(), "the provider was asked once");
    }

    @Test
    void a_network_cut_of_5_s_mid_answer_says_reconnecting_then_finishes_with_the_exact_text() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(app.base())) {
            ChatPage behindProxy = new ChatPage(browser).open(proxy.base().toString());
            behindProxy.recordStreamedText();
            behindProxy.send("Count slowly [slow:200:100]");
            behindProxy.awaitShown(30, Duration.ofSeconds(10));
            int requests = app.upstream.requests.size();

            long cutAt = System.nanoTime();
            proxy.cut(Duration.ofSeconds(5));

            behindProxy.waitUntil(Duration.ofSeconds(5), "the answer says it is reconnecting",
                    d -> "Reconnecting…".equals(behindProxy.lastAssistant().findElement(By.cssSelector(".notice")).getText()));
            long shownAt = System.nanoTime();
            assertEquals("reconnecting", behindProxy.lastAssistant().getDomAttribute("data-connection"));
            behindProxy.waitUntil(Duration.ofSeconds(2), "screen readers hear it",
                    d -> String.valueOf(behindProxy.js("return document.getElementById('status')?.textContent")).contains("Reconnecting"));
            browser.screenshot("resume-reconnecting");
            behindProxy.waitUntil(Duration.ofSeconds(20), "the page reconnects",
                    d -> behindProxy.lastAssistant().getDomAttribute("data-connection") == null);
            long backAt = System.nanoTime();
            assertEquals("streaming", behindProxy.lastAssistant().getDomAttribute("data-status"), "reconnected mid-answer");
            System.out.printf("[resume] network down 5000 ms: Reconnecting… shown %d ms after the cut, reconnected %d ms after it"
                    + " (%d ms after the network was back), %d connections refused meanwhile%n", (shownAt - cutAt) / 1_000_000,
                    (backAt - cutAt) / 1_000_000, (backAt - cutAt) / 1_000_000 - 5000, proxy.refused.get());

            assertEquals("completed", behindProxy.awaitAnswerEnd(END));
            assertTrue(proxy.refused.get() > 0, "the page tried while the network was down");
            assertEquals(slowText(200), behindProxy.streamedText(), "nothing doubled or lost across the cut");
            assertEquals(slowText(200), behindProxy.answerSource());
            assertEquals("", behindProxy.lastAssistant().findElement(By.cssSelector(".notice")).getText());
            assertEquals(requests, app.upstream.requests.size(), "the provider was asked once");
        }
    }

    @Test
    void two_tabs_follow_one_answer_live_and_stop_from_the_second_stops_the_provider_in_both() throws Exception {
        page.recordStreamedText();
        page.send("Count for a long time [slow:300:100]");
        page.awaitShown(20, Duration.ofSeconds(10));
        String first = page.driver.getWindowHandle();
        String conversation = page.driver.getCurrentUrl();
        int abortedBefore = app.upstream.aborted.get();

        // A window, not a background tab: a hidden tab gets no animation frames, and the page paints on them.
        page.driver.switchTo().newWindow(WindowType.WINDOW);
        page.driver.get(conversation);
        String second = page.driver.getWindowHandle();
        awaitResumed(page);
        page.recordStreamedText();
        int seen = page.shownLength();
        page.awaitShown(seen + 10, Duration.ofSeconds(10));
        page.driver.switchTo().window(first);
        int seenFirst = page.shownLength();
        page.awaitShown(seenFirst + 10, Duration.ofSeconds(10));
        assertEquals("streaming", page.lastAssistant().getDomAttribute("data-status"), "the first tab still streams");

        page.driver.switchTo().window(second);
        page.driver.findElement(By.id("stop")).click();

        assertEquals("user_stop", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        assertTrue(app.upstream.awaitAborted(abortedBefore, 5000), "the relay aborted the provider's stream");
        String stored = String.valueOf(app.rows.one("SELECT content FROM message WHERE id = ?",
                page.lastAssistant().getDomAttribute("data-message-id")).get("content"));
        assertTrue(stored.startsWith("t0 t1 ") && stored.length() < slowText(300).length(), stored);
        assertEquals(stored, page.streamedText(), "the second tab streamed the stored text");
        assertEquals(stored, page.answerSource());
        browser.screenshot("resume-stopped-second");

        page.driver.switchTo().window(first);
        assertEquals("user_stop", page.awaitAnswerEnd(Duration.ofSeconds(10)), "the first tab shows the stop too");
        assertEquals(stored, page.streamedText(), "the first tab streamed the same text");
        assertEquals(stored, page.answerSource());
        assertEquals("stopped", page.lastAssistant().findElement(By.cssSelector(".notice")).getText());
    }

    /** A page loaded mid-answer has taken the answer over: it streams, with Stop. */
    private static void awaitResumed(ChatPage p) {
        p.waitUntil(Duration.ofSeconds(10), "the page resumes the streaming answer",
                d -> "true".equals(p.body().getDomAttribute("data-streaming"))
                        && "streaming".equals(p.lastAssistant().getDomAttribute("data-status"))
                        && p.lastAssistant().getDomAttribute("data-resumed-from") != null);
    }
}
