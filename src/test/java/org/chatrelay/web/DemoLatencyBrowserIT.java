package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.Browser;
import org.chatrelay.testing.ChatPage;
import org.chatrelay.testing.Rows;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The app as it runs out of the box: no upstream configured, so the offline demo upstream answers. Prints the
 * browser-side TTFT (Send key to first painted token) of demo answers beside the relay's own TTFT.
 */
class DemoLatencyBrowserIT {

    @Test
    void a_demo_answer_reports_its_first_paint_and_the_record_holds_it() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped (-DskipBrowserTests=true)");
        Browser.requireChromium();
        try (AppUnderTest app = AppUnderTest.named("demo-latency").demo().start(); Browser browser = Browser.open()) {
            ChatPage page = new ChatPage(browser).open(app.base().toString());
            assertTrue(page.driver.findElement(By.id("demo-badge")).isDisplayed());
            List<WebElement> models = new Select(page.driver.findElement(By.id("model"))).getOptions();
            assertEquals(List.of("chatrelay-demo — free"), models.stream().map(WebElement::getText).toList(),
                    "the demo offers only its own model, never priced as a paid one");

            List<String> figures = new ArrayList<>();
            for (String question : List.of("What is a relay?", "How fast is the first token?", "And the last one?")) {
                page.send(question);
                assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(30)));
                String messageId = page.lastAssistant().getDomAttribute("data-message-id");
                Map<String, Object> u = await(app.rows, messageId);
                int server = ((Number) u.get("ttft_ms")).intValue();
                int client = ((Number) u.get("client_ttft_ms")).intValue();
                assertTrue(client >= server, client + " >= " + server);
                figures.add("relay " + server + " ms / first paint " + client + " ms");
            }
            System.out.println("[demo TTFT] " + String.join("; ", figures)
                    + " (the demo waits 150-300 ms before its first token, by design)");
            browser.screenshot("demo-done");
        }
    }

    private static Map<String, Object> await(Rows rows, String messageId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Map<String, Object> row;
        while ((row = rows.one("SELECT ttft_ms, client_ttft_ms FROM answer_usage WHERE message_id = ?", messageId)).get("client_ttft_ms") == null) {
            assertTrue(System.nanoTime() < deadline, "the page never reported its first paint: " + row);
            Thread.sleep(50);
        }
        return row;
    }
}
