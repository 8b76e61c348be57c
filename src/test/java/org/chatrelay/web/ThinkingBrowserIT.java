package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Issue 14 in headless Chromium: a thinking model's reasoning streams into a muted "Thinking…" section, which folds
 * to "Thought for N s" when the answer starts and comes back folded after a reload; Stop while it thinks stops the
 * provider. The fake provider reasons in the OpenAI-compatible dialect (reasoning_content).
 */
class ThinkingBrowserIT extends BrowserTest {

    /** A model asked to think, and one that is not. */
    @BeforeAll
    static void startApp() throws Exception {
        start("thinking-browser", "deep-thinker", "[{'name': 'deep-thinker', 'reasoningEffort': 'high'}, {'name': 'deepseek-v3.2'}]",
                Map.of("chatrelay.first.token.timeout.ms", "1000"));
    }

    @Test
    void the_thinking_section_streams_folds_when_the_answer_starts_and_survives_a_reload() throws Exception {
        List<WebElement> options = page.driver.findElements(By.cssSelector("#model option"));
        assertEquals("true", options.get(0).getDomAttribute("data-thinks"));
        assertTrue(options.get(0).getText().endsWith("— thinks first"), options.get(0).getText());
        assertFalse(options.get(1).getText().contains("thinks"), options.get(1).getText());

        page.send("Why is the sky blue? [think:3000]");
        WebElement thinking = page.waitUntil(Duration.ofSeconds(10), "the thinking section shows",
                d -> d.findElements(By.cssSelector("#messages .message[data-role='assistant'] details.thinking")).stream().findFirst().orElse(null));
        int early = reasoningLength();
        page.waitUntil(Duration.ofSeconds(5), "more reasoning streams in", d -> reasoningLength() > early + 20);
        assertTrue(Boolean.parseBoolean(String.valueOf(page.js("return arguments[0].open", thinking))), "open while the model thinks");
        assertEquals("thinking", thinking.getDomAttribute("data-state"));
        assertTrue(summary().startsWith("Thinking… "), summary());
        assertEquals("", page.lastAssistant().findElement(By.cssSelector(".text")).getText(), "no answer text yet");
        assertNotEquals(css(".thinking", "color"), css(".text", "color"), "the section is muted");
        browser.screenshot("thinking-live");

        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(15)));
        assertFalse(Boolean.parseBoolean(String.valueOf(page.js("return arguments[0].open", thinking))), "folded once the answer came");
        assertEquals("done", thinking.getDomAttribute("data-state"));
        String folded = summary();
        assertTrue(folded.matches("Thought for \\d+ s"), folded);
        String streamed = reasoningText();
        assertTrue(streamed.startsWith("Step 1: \"weigh\" <b>this</b>. "), streamed);
        assertTrue(page.lastAssistant().findElements(By.cssSelector(".reasoning b")).isEmpty(), "reasoning is text, never markup");
        assertEquals("Hello world", page.answerSource());
        String messageId = page.lastAssistant().getDomAttribute("data-message-id");
        int thinkingMs = (Integer) rowsOf(messageId).get("thinking_ms");
        assertEquals("Thought for " + Math.round(thinkingMs / 1000.0) + " s", folded, "the stored thinking time");

        assertEquals(List.of(), page.seriousAccessibilityViolations(), "the folded section (light)");
        page.driver.findElement(By.cssSelector("#messages details.thinking > summary")).click();
        assertTrue(Boolean.parseBoolean(String.valueOf(page.js("return document.querySelector('#messages details.thinking').open"))),
                "a click unfolds it");
        assertEquals(List.of(), page.seriousAccessibilityViolations(), "the unfolded section (light)");
        page.colorScheme("dark");
        assertEquals(List.of(), page.seriousAccessibilityViolations(), "the unfolded section (dark)");
        browser.screenshot("thinking-done-unfolded");

        page.driver.navigate().refresh();
        page.waitUntil(Duration.ofSeconds(10), "the history is rendered", d -> page.messages().size() == 2);
        WebElement reloaded = page.lastAssistant().findElement(By.cssSelector("details.thinking"));
        assertFalse(Boolean.parseBoolean(String.valueOf(page.js("return arguments[0].open", reloaded))), "folded after a reload");
        assertEquals(folded, summary());
        assertEquals(streamed, reasoningText(), "the same reasoning after a reload");
        assertTrue(page.lastAssistant().findElements(By.cssSelector(".reasoning b")).isEmpty());
        assertEquals("Hello world", page.lastAssistant().findElement(By.cssSelector(".text")).getText());
        browser.screenshot("thinking-reloaded");
    }

    @Test
    void stop_while_the_model_thinks_stops_the_provider_and_keeps_the_reasoning() throws Exception {
        page.send("Ponder [thinkforever]");
        page.waitUntil(Duration.ofSeconds(10), "some reasoning shows", d -> reasoningLength() >= 20);
        int abortedBefore = app.upstream.aborted.get();
        WebElement stop = page.driver.findElement(By.id("stop"));
        assertTrue(stop.isDisplayed(), "Stop is offered while the model thinks");

        stop.click();

        page.waitUntil(Duration.ofSeconds(5), "the answer is stopped", d -> "user_stop".equals(page.lastAssistant().getDomAttribute("data-status")));
        assertTrue(app.upstream.awaitAborted(abortedBefore, 3000), "the relay aborted the provider's stream");
        String shown = reasoningText();
        assertTrue(shown.startsWith("hmm "), shown);
        String messageId = page.lastAssistant().getDomAttribute("data-message-id");
        Map<String, Object> row = rowsOf(messageId);
        assertEquals("user_stop", row.get("end_reason"));
        assertEquals(shown, app.rows.one("SELECT reasoning FROM message WHERE id = ?", messageId).get("reasoning"),
                "the stored reasoning is what the page shows");
        browser.screenshot("thinking-stopped");
    }

    private Map<String, Object> rowsOf(String messageId) {
        try {
            return app.rows.endedUsage(messageId, 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String summary() {
        return page.lastAssistant().findElement(By.cssSelector("details.thinking > summary")).getText();
    }

    private String reasoningText() {
        return String.valueOf(page.js("return arguments[0].textContent", page.lastAssistant().findElement(By.cssSelector(".reasoning"))));
    }

    private int reasoningLength() {
        Object n = page.js("const r = [...document.querySelectorAll('#messages .message[data-role=\"assistant\"] .reasoning')].pop();"
                + " return r ? r.textContent.length : 0;");
        return ((Number) n).intValue();
    }

    private String css(String selector, String property) {
        return String.valueOf(page.js("return getComputedStyle(arguments[0].querySelector(arguments[1]))[arguments[2]]",
                page.lastAssistant(), selector, property));
    }
}
