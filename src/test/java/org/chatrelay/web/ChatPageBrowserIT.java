package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.chatrelay.testing.ChatPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The chat page in a real headless Chromium against the built WAR on embedded Jetty and a fake upstream:
 * what a visitor sees while an answer streams, stops, fails, and after a reload. Screenshots go to
 * {@code target/screenshots/}. Skipped only with {@code -DskipBrowserTests=true}; a missing Chromium fails.
 */
class ChatPageBrowserIT extends BrowserScenarios {
    private static final Pattern CONVERSATION_URL =
            Pattern.compile("/c/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$");
    /** One read of the latest answer, so a sample is consistent: status, text length, cursor shown, body flag. */
    private static final String SAMPLE = """
            const a = [...document.querySelectorAll('#messages .message[data-role="assistant"]')].pop();
            if (!a) return null;
            const c = a.querySelector('.cursor');
            let cursor = false;
            if (c) {
              const r = c.getBoundingClientRect(), s = getComputedStyle(c);
              cursor = r.width > 0 && r.height > 0 && s.display !== 'none' && s.visibility !== 'hidden';
            }
            return {status: a.dataset.status, len: a.querySelector('.text').textContent.length,
                    cursor: cursor, streaming: document.body.dataset.streaming};
            """;

    WebDriver driver;

    /** Each test is a new visitor (BrowserScenarios opens its own browser on the chat page). */
    @BeforeEach
    void useDriver() {
        driver = page.driver;
    }

    @Test
    void sends_a_message_and_tokens_appear_progressively_then_final_stats() throws Exception {
        assertTrue(driver.findElement(By.cssSelector("#messages .empty")).isDisplayed(), "a fresh page invites a first message");
        assertTrue(page.messages().isEmpty());
        assertTrue(driver.findElements(By.id("demo-badge")).isEmpty(), "a real upstream is configured: no demo badge");
        assertFalse(driver.findElement(By.id("stop")).isDisplayed(), "no stop button before anything streams");
        browser.screenshot("empty");

        page.send("[slow:20:100]");

        // 20 tokens 100 ms apart: sampled every 150 ms, the text must be seen growing, not arrive in one piece.
        List<Long> lengths = new ArrayList<>();
        boolean cursorSeen = false;
        boolean streamingFlagSeen = false;
        boolean midShot = false;
        String status = "pending";
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (ChatPage.RUNNING.contains(status)) {
            assertTrue(System.nanoTime() < deadline, "the answer did not end within 15 s; lengths seen " + lengths);
            Map<String, Object> s = sample();
            status = String.valueOf(s.get("status"));
            if (status.equals("streaming")) {
                long len = ((Number) s.get("len")).longValue();
                lengths.add(len);
                cursorSeen |= Boolean.TRUE.equals(s.get("cursor"));
                streamingFlagSeen |= "true".equals(s.get("streaming"));
                if (!midShot && len >= 24) {
                    browser.screenshot("streaming");
                    midShot = true;
                }
            }
            Thread.sleep(150);
        }
        Set<Long> distinctPartial = new TreeSet<>(lengths);
        distinctPartial.remove(0L);
        assertTrue(distinctPartial.size() >= 3,
                "the text should grow over at least 3 distinct samples while streaming, saw lengths " + lengths);
        for (int i = 1; i < lengths.size(); i++) {
            assertTrue(lengths.get(i) >= lengths.get(i - 1), "the text never shrinks while streaming: " + lengths);
        }
        assertTrue(cursorSeen, "the streaming cursor is visible while the answer streams");
        assertTrue(streamingFlagSeen, "body[data-streaming] is true while the answer streams");
        assertTrue(midShot, "a mid-stream screenshot was taken");

        WebElement answer = page.lastAssistant();
        assertEquals("completed", answer.getDomAttribute("data-status"));
        String expected = IntStream.range(0, 20).mapToObj(i -> "t" + i + " ").collect(Collectors.joining());
        WebElement text = answer.findElement(By.cssSelector(".text"));
        assertEquals(expected, page.answerSource(), "every token, in order, nothing else (the answer's source, for Copy)");
        assertEquals("markdown", answer.getDomAttribute("data-rendered"), "the finished answer shows the server's rendering");
        assertEquals(expected.strip(), text.getText().strip(), "as the page shows it");
        assertTrue(answer.findElements(By.cssSelector(".cursor")).isEmpty(), "the cursor is gone once the answer ended");
        String stats = answer.findElement(By.cssSelector(".stats")).getText();
        assertTrue(Pattern.compile("TTFT \\d+ ms").matcher(stats).find(), "stats show the TTFT: " + stats);
        assertTrue(Pattern.compile("\\d+(\\.\\d+)? tok/s").matcher(stats).find(), "stats show tokens/s: " + stats);
        assertEquals("false", page.body().getDomAttribute("data-streaming"));
        assertFalse(driver.findElement(By.id("stop")).isDisplayed(), "the stop button hides again");
        assertTrue(driver.findElement(By.id("send")).isEnabled(), "send is enabled again");
        browser.screenshot("done");
    }

    @Test
    void stop_midway_keeps_the_partial_answer_and_aborts_upstream() throws Exception {
        page.send("[forever:0:50]");
        String partial = page.waitUntil(Duration.ofSeconds(10), "at least 5 tokens shown", d -> {
            String text = page.answerSource();
            return text.split("tick", -1).length - 1 >= 5 ? text : null;
        });
        WebElement stopButton = driver.findElement(By.id("stop"));
        assertTrue(stopButton.isDisplayed(), "the stop button shows while streaming");
        int abortedBefore = app.upstream.aborted.get();

        stopButton.click();

        page.waitUntil(Duration.ofSeconds(5), "data-status becomes user_stop",
                d -> "user_stop".equals(page.lastAssistant().getDomAttribute("data-status")));
        WebElement answer = page.lastAssistant();
        String kept = page.answerSource();
        assertTrue(kept.startsWith(partial), "the partial answer stays: before stop '" + partial + "', after '" + kept + "'");
        assertTrue(kept.matches("(tick )+"), "only the streamed tokens are shown: '" + kept + "'");
        assertEquals("stopped", answer.findElement(By.cssSelector(".notice")).getText());
        assertTrue(app.upstream.awaitAborted(abortedBefore, 2000), "the relay aborted the upstream stream");

        String messageId = answer.getDomAttribute("data-message-id");
        assertTrue(messageId != null && !messageId.isEmpty(), "the answer carries its message id");
        Map<String, Object> usage = app.rows.endedUsage(messageId, 5000);
        assertEquals("user_stop", usage.get("end_reason"));
        assertEquals("user_stop", usage.get("message_status"));
        assertEquals(kept, usage.get("message_content"), "the stored partial answer is what the page shows");
    }

    @Test
    void history_survives_a_reload() throws Exception {
        page.send("Say hello");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        assertEquals("Hello world", page.answerSource());
        Matcher url = CONVERSATION_URL.matcher(driver.getCurrentUrl());
        assertTrue(url.find(), "the URL names the conversation: " + driver.getCurrentUrl());
        String conversationId = url.group(1);

        driver.navigate().refresh();

        page.waitUntil(Duration.ofSeconds(10), "the history is rendered", d -> page.messages().size() == 2);
        List<WebElement> shown = page.messages();
        assertEquals("user", shown.get(0).getDomAttribute("data-role"));
        assertEquals("Say hello", shown.get(0).findElement(By.cssSelector(".text")).getText());
        assertEquals("assistant", shown.get(1).getDomAttribute("data-role"));
        assertEquals("completed", shown.get(1).getDomAttribute("data-status"));
        assertEquals("Hello world", shown.get(1).findElement(By.cssSelector(".text")).getText());
        WebElement stats = shown.get(1).findElement(By.cssSelector(".stats"));
        assertTrue(stats.isDisplayed(), "the stored answer's stats are shown");
        assertTrue(stats.getText().contains("TTFT") && stats.getText().contains("tok/s"), "stats after reload: " + stats.getText());
        assertEquals(conversationId, driver.findElement(By.id("chat")).getDomAttribute("data-conversation-id"));

        page.send("And again");
        page.waitUntil(Duration.ofSeconds(10), "the second answer completes",
                d -> page.messages().size() == 4 && "completed".equals(page.lastAssistant().getDomAttribute("data-status")));
        assertTrue(driver.getCurrentUrl().endsWith("/c/" + conversationId), "still the same conversation");
        JsonNode request = app.upstream.requests.stream()
                .filter(r -> lastContent(r).equals("And again"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the upstream never got the second message"));
        JsonNode sent = request.path("messages");
        assertEquals(3, sent.size(), "the earlier turns go upstream with the new message: " + sent);
        assertEquals(List.of("user:Say hello", "assistant:Hello world", "user:And again"),
                List.of(turn(sent.get(0)), turn(sent.get(1)), turn(sent.get(2))));
    }

    @Test
    void an_error_is_shown_in_place_with_the_partial_answer() throws Exception {
        page.send("[cut]");
        String status = page.awaitAnswerEnd(Duration.ofSeconds(10));
        assertTrue(status.equals("upstream_cut") || status.equals("error"), "a cut stream ends as an error, was " + status);
        WebElement answer = page.lastAssistant();
        assertEquals("One two three", answer.findElement(By.cssSelector(".text")).getText());
        List<String> problems = answer.findElements(By.cssSelector(".error, .notice")).stream()
                .filter(WebElement::isDisplayed).map(WebElement::getText).filter(t -> !t.isBlank()).toList();
        assertFalse(problems.isEmpty(), "an error or notice is shown in the answer");
        assertTrue(answer.findElements(By.cssSelector(".cursor")).isEmpty(), "no cursor on an ended answer");
        assertTrue(driver.findElement(By.id("send")).isEnabled(), "the visitor can send again");
        browser.screenshot("error");

        driver.navigate().refresh();
        page.waitUntil(Duration.ofSeconds(10), "the history is rendered", d -> page.messages().size() == 2);
        WebElement stored = page.lastAssistant();
        assertEquals("upstream_cut", stored.getDomAttribute("data-status"));
        assertEquals("One two three", stored.findElement(By.cssSelector(".text")).getText());
        assertEquals("cut by upstream — incomplete", stored.findElement(By.cssSelector(".notice")).getText());
    }

    @Test
    void shift_enter_makes_a_new_line_and_enter_sends() throws Exception {
        int requestsBefore = app.upstream.requests.size();
        WebElement prompt = page.prompt();
        prompt.sendKeys("first line");
        prompt.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
        prompt.sendKeys("second line");
        Thread.sleep(300);
        assertEquals("first line\nsecond line", prompt.getDomProperty("value"), "Shift+Enter inserts a newline");
        assertTrue(page.messages().isEmpty(), "Shift+Enter does not send");
        assertEquals(requestsBefore, app.upstream.requests.size(), "nothing went upstream");

        prompt.sendKeys(Keys.ENTER);

        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        WebElement user = page.messages().get(0);
        assertEquals("user", user.getDomAttribute("data-role"));
        assertEquals("first line\nsecond line", user.findElement(By.cssSelector(".text")).getAttribute("textContent"));
        assertEquals("first line\nsecond line", user.findElement(By.cssSelector(".text")).getText(), "the newline is shown");
        assertEquals("", page.prompt().getDomProperty("value"), "the input is cleared once the message is on the server");
        assertEquals(requestsBefore + 1, app.upstream.requests.size());
        assertEquals("first line\nsecond line", lastContent(app.upstream.requests.get(app.upstream.requests.size() - 1)));
    }

    @Test
    void model_output_html_is_shown_as_text() throws Exception {
        String html = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        page.send("<b>bold?</b> [xss]");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        Thread.sleep(300); // an injected img's onerror would fire after its load fails
        assertNoScriptRan(html);

        driver.navigate().refresh();
        page.waitUntil(Duration.ofSeconds(10), "the history is rendered", d -> page.messages().size() == 2);
        Thread.sleep(300);
        assertNoScriptRan(html);
    }

    private void assertNoScriptRan(String html) {
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert(), "no alert may open");
        assertTrue(driver.findElements(By.cssSelector("#messages img")).isEmpty(), "no img element in #messages");
        assertTrue(driver.findElements(By.cssSelector("#messages script")).isEmpty(), "no script element in #messages");
        assertTrue(driver.findElements(By.cssSelector("#messages b")).isEmpty(), "the user's text is not HTML either");
        assertEquals(html, page.answerSource(), "the model's HTML is kept as it came");
        assertEquals(html, page.lastAssistant().findElement(By.cssSelector(".text")).getText(), "the model's HTML shows literally");
        assertEquals("<b>bold?</b> [xss]", page.messages().get(0).findElement(By.cssSelector(".text")).getText());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private Map<String, Object> sample() {
        Object result = ((JavascriptExecutor) driver).executeScript(SAMPLE);
        return result == null ? Map.of("status", "pending", "len", 0L) : (Map<String, Object>) result;
    }

    private static String lastContent(JsonNode request) {
        JsonNode m = request.path("messages");
        return m.isEmpty() ? "" : m.get(m.size() - 1).path("content").asText();
    }

    private static String turn(JsonNode message) {
        return message.path("role").asText() + ":" + message.path("content").asText();
    }
}
