package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.BufferingProxy;
import org.chatrelay.testing.ChatPage;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Accessibility (axe-core, keyboard, dark mode, 360 px), the model picker, and the latency chain with the buffering check. */
class ChatExperienceBrowserIT extends BrowserScenarios {

    @Test
    void axe_core_finds_no_serious_or_critical_violations_in_light_and_dark_mode() throws Exception {
        assertEquals(List.of(), page.seriousAccessibilityViolations(), "the empty page");
        page.send("Show me markdown [md]");
        page.awaitAnswerEnd(Duration.ofSeconds(10));
        page.send("[cut]");
        page.awaitAnswerEnd(Duration.ofSeconds(10));
        assertEquals(List.of(), page.seriousAccessibilityViolations(), "markdown, an error, the sidebar, the actions (light)");

        page.colorScheme("dark");
        String background = (String) page.js("return getComputedStyle(document.body).backgroundColor");
        assertEquals("rgb(18, 20, 24)", background, "prefers-color-scheme: dark switches the palette");
        assertEquals(List.of(), page.seriousAccessibilityViolations(), "the same page in dark mode");
        page.js("window.scrollTo(0, document.documentElement.scrollHeight)");
        browser.screenshot("dark-mode");

        page.driver.findElement(By.cssSelector("#history .history-item button.delete")).click();
        assertEquals(List.of(), page.seriousAccessibilityViolations(), "with the delete confirmation open");
        page.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    }

    @Test
    void the_keyboard_alone_sends_stops_and_keeps_focus_sensible() throws Exception {
        WebElement prompt = page.prompt();
        assertEquals(prompt, page.driver.switchTo().activeElement(), "the message box has focus on arrival");
        WebElement log = page.driver.findElement(By.id("messages"));
        assertEquals("log", log.getDomAttribute("role"));
        assertEquals("polite", log.getDomAttribute("aria-live"));

        prompt.sendKeys("[slow:30:80]", Keys.ENTER);
        WebElement answer = page.waitUntil(Duration.ofSeconds(5), "streaming", d -> "streaming".equals(page.lastAssistant().getDomAttribute("data-status")) ? page.lastAssistant() : null);
        assertEquals("true", answer.getDomAttribute("aria-busy"), "the log waits for the whole answer instead of announcing each token");
        page.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        assertEquals("user_stop", page.awaitAnswerEnd(Duration.ofSeconds(10)), "Esc stops");
        assertEquals("false", page.lastAssistant().getDomAttribute("aria-busy"));
        assertEquals(page.prompt(), page.driver.switchTo().activeElement(), "focus is back in the message box");

        page.prompt().sendKeys(Keys.TAB);
        WebElement next = page.driver.switchTo().activeElement();
        assertEquals("model", next.getDomAttribute("id"), "Tab reaches the model picker next");
        String outline = (String) page.js("const s = getComputedStyle(arguments[0]); return s.outlineStyle + ' ' + s.outlineWidth", next);
        assertTrue(outline.startsWith("solid") && !outline.endsWith(" 0px"), "focus is visible: " + outline);
    }

    @Test
    void at_360_px_nothing_scrolls_sideways_and_the_history_opens_from_a_button() throws Exception {
        page.viewport(360, 740);
        page.open(app.base().toString());
        page.send("Show me markdown [md]");
        page.awaitAnswerEnd(Duration.ofSeconds(10));
        Number overflow = (Number) page.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, overflow.intValue(), "no horizontal scrolling at 360 px");
        browser.screenshot("narrow-360");

        WebElement toggle = page.driver.findElement(By.id("sidebar-toggle"));
        assertFalse(page.driver.findElement(By.id("sidebar")).isDisplayed(), "the history is folded away");
        toggle.click();
        assertEquals("true", toggle.getDomAttribute("aria-expanded"));
        assertTrue(page.driver.findElement(By.id("sidebar")).isDisplayed());
        assertEquals("search", page.driver.switchTo().activeElement().getDomAttribute("id"), "focus goes to the search box");
        browser.screenshot("narrow-360-history");
        assertEquals(List.of(), page.seriousAccessibilityViolations(), "at 360 px");
    }

    @Test
    void the_model_picker_shows_prices_and_is_remembered_per_conversation() throws Exception {
        Select picker = new Select(page.driver.findElement(By.id("model")));
        List<String> options = picker.getOptions().stream().map(WebElement::getText).toList();
        assertEquals("deepseek-v3.2 — $0.28 / $0.42 per 1M tokens in / out", options.get(0), "the configured model first");
        assertTrue(options.contains("claude-sonnet-4-5 — $3.00 / $15.00 per 1M tokens in / out"), options.toString());
        assertFalse(options.stream().anyMatch(o -> o.startsWith("chatrelay-demo")), "the demo model is not offered with a real upstream");

        picker.selectByValue("claude-sonnet-4-5");
        page.send("Which model?");
        page.awaitAnswerEnd(Duration.ofSeconds(10));
        assertEquals("claude-sonnet-4-5", app.upstream.requests.get(app.upstream.requests.size() - 1).path("model").asText());
        String conversation = page.driver.findElement(By.id("chat")).getDomAttribute("data-conversation-id");
        assertEquals("claude-sonnet-4-5", app.rows.one("SELECT model FROM conversation WHERE id = ?", conversation).get("model"));
        assertTrue(page.lastAssistant().findElement(By.cssSelector(".stats")).getText().contains("$0.000081"),
                "priced as the picked model: 12 x $3 + 3 x $15 per million");

        page.driver.navigate().refresh();
        page.waitUntil(Duration.ofSeconds(10), "reloaded", d -> page.messages().size() == 2);
        assertEquals("claude-sonnet-4-5", new Select(page.driver.findElement(By.id("model"))).getFirstSelectedOption().getDomAttribute("value"),
                "the conversation remembers its model");
        page.open(app.base().toString());
        assertEquals("deepseek-v3.2", new Select(page.driver.findElement(By.id("model"))).getFirstSelectedOption().getDomAttribute("value"),
                "a new chat starts with the default");
    }

    @Test
    void the_answer_record_holds_the_whole_latency_chain_up_to_the_first_paint() throws Exception {
        page.send("Say hello");
        page.awaitAnswerEnd(Duration.ofSeconds(10));
        String messageId = page.lastAssistant().getDomAttribute("data-message-id");
        Map<String, Object> usage = awaitColumn(messageId, "buffering_suspected");
        int server = ((Number) usage.get("ttft_ms")).intValue();
        int client = ((Number) usage.get("client_ttft_ms")).intValue();
        System.out.printf("[latency chain] relay first write %d ms after the request arrived; first paint %d ms after the Send key%n", server, client);
        assertTrue(client >= server, "the browser's interval contains the relay's: " + client + " vs " + server);
        assertEquals(Boolean.FALSE, usage.get("buffering_suspected"), "nothing buffers between this browser and the app");
        assertTrue(page.lastAssistant().findElement(By.cssSelector(".stats")).getText().contains("first paint " + client + " ms"));
    }

    @Test
    void tokens_held_back_by_a_buffering_proxy_are_noticed_and_flagged_on_the_record() throws Exception {
        try (BufferingProxy proxy = new BufferingProxy(app.base(), 700)) {
            ChatPage behindProxy = new ChatPage(browser).open(proxy.base().toString());
            behindProxy.send("[slow:20:100]");
            assertEquals("completed", behindProxy.awaitAnswerEnd(Duration.ofSeconds(20)));
            String messageId = behindProxy.lastAssistant().getDomAttribute("data-message-id");
            Map<String, Object> usage = awaitColumn(messageId, "buffering_suspected");
            System.out.println("[buffering check] behind a proxy flushing every 700 ms: " + usage.get("client_max_lag_ms") + " ms largest extra lag");
            assertEquals(Boolean.TRUE, usage.get("buffering_suspected"));
            assertTrue(((Number) usage.get("client_max_lag_ms")).intValue() >= 300);
            assertTrue(behindProxy.lastAssistant().findElement(By.cssSelector(".warning")).getText().contains("late bursts"));
        }
    }

    private static Map<String, Object> awaitColumn(String messageId, String column) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            Map<String, Object> row = app.rows.one("SELECT ttft_ms, client_ttft_ms, client_max_lag_ms, buffering_suspected FROM answer_usage WHERE message_id = ?", messageId);
            if (row.get(column) != null) {
                return row;
            }
            assertNotEquals(true, System.nanoTime() > deadline, "no " + column + " reported: " + row);
            Thread.sleep(50);
        }
    }
}
