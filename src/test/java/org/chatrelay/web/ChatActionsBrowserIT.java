package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Regenerate, edit and resend, copy, continue: what each shows and what the history keeps. */
class ChatActionsBrowserIT extends BrowserScenarios {

    @Test
    void regenerate_replaces_the_last_answer_and_the_replaced_one_still_counts_for_cost() throws Exception {
        page.send("Count for me [count]");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        String first = page.answerSource();
        String firstId = page.lastAssistant().getDomAttribute("data-message-id");

        page.action(page.lastAssistant(), "Regenerate");

        page.waitUntil(Duration.ofSeconds(10), "a new answer", d -> !firstId.equals(page.lastAssistant().getDomAttribute("data-message-id")));
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        String second = page.answerSource();
        assertNotEquals(first, second, "a new answer");
        assertEquals(2, page.messages().size(), "the question once, the new answer once");
        JsonNode sent = lastRequest().path("messages");
        assertEquals(1, sent.size(), "the question goes upstream again, without the replaced answer: " + sent);
        assertEquals("Count for me [count]", sent.get(0).path("content").asText());

        String secondId = page.lastAssistant().getDomAttribute("data-message-id");
        Map<String, Object> old = app.rows.one("SELECT m.replaced_by, m.content, u.cost_micros, u.end_reason FROM message m "
                + "JOIN answer_usage u ON u.message_id = m.id WHERE m.id = ?", firstId);
        assertEquals(secondId, old.get("replaced_by"), "the old answer is kept, marked replaced by the new one");
        assertEquals(first, old.get("content"));
        assertEquals("completed", old.get("end_reason"), "its usage row stays, so its cost still counts");

        page.driver.navigate().refresh();
        page.waitUntil(Duration.ofSeconds(10), "history", d -> page.messages().size() == 2);
        assertEquals(second, page.answerSource(), "after a reload only the current answer shows");
        assertTrue(page.driver.findElement(By.cssSelector(".replaced-note")).getText().contains("1 earlier version"));
    }

    @Test
    void edit_the_last_question_and_resend() throws Exception {
        page.send("Say hello");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        WebElement question = page.messages().get(0);
        String oldQuestionId = question.getDomAttribute("data-message-id");

        page.action(question, "Edit");
        assertTrue(page.driver.findElement(By.id("editing")).isDisplayed(), "the composer says it is editing");
        assertEquals("Say hello", page.prompt().getDomProperty("value"), "the question is in the composer");
        assertEquals(page.prompt(), page.driver.switchTo().activeElement(), "focus moves to the composer");
        page.prompt().sendKeys(Keys.chord(Keys.CONTROL, "a"), "Say goodbye [count]", Keys.ENTER);

        page.waitUntil(Duration.ofSeconds(10), "the edited question replaces the old one",
                d -> !oldQuestionId.equals(page.messages().get(0).getDomAttribute("data-message-id")));
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        List<WebElement> shown = page.messages();
        assertEquals(2, shown.size());
        assertEquals("Say goodbye [count]", shown.get(0).findElement(By.cssSelector(".text")).getText());
        assertTrue(page.answerSource().startsWith("Answer "));
        JsonNode sent = lastRequest().path("messages");
        assertEquals(1, sent.size(), "only the edited question goes upstream: " + sent);
        assertEquals(2, ((Number) app.rows.one("SELECT COUNT(*) AS n FROM message WHERE replaced_by = ?",
                shown.get(0).getDomAttribute("data-message-id")).get("n")).intValue(), "old question and answer kept, marked replaced");
        assertFalse(page.driver.findElement(By.id("editing")).isDisplayed());
    }

    @Test
    void copy_a_message_and_a_code_block() throws Exception {
        page.send("Show me markdown [md]");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));

        page.action(page.lastAssistant(), "Copy");
        page.waitUntil(Duration.ofSeconds(5), "the button confirms", d -> page.lastAssistant().getText().contains("Copied"));
        assertEquals(org.chatrelay.testing.FakeUpstream.MARKDOWN, pasted(), "the answer's markdown source is copied");

        page.lastAssistant().findElement(By.cssSelector(".copy-code")).click();
        assertEquals("console.log(\"copied <ok>\");\n", pasted(), "the code block's text is copied");
    }

    @Test
    void continue_a_cut_answer() throws Exception {
        page.send("[cut]");
        page.awaitAnswerEnd(Duration.ofSeconds(10));
        WebElement cut = page.lastAssistant();
        assertEquals("One two three", page.answerSource());

        page.action(cut, "Continue");

        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        List<WebElement> shown = page.messages();
        assertEquals(4, shown.size(), "question, cut answer, the continue request, the continuation");
        assertEquals("continue", shown.get(2).getDomAttribute("data-kind"));
        assertEquals("Hello world", page.answerSource());
        JsonNode sent = lastRequest().path("messages");
        assertEquals(3, sent.size(), "the partial answer goes upstream with the request to continue: " + sent);
        assertEquals("One two three", sent.get(1).path("content").asText());
        assertTrue(sent.get(2).path("content").asText().startsWith("Continue your previous answer"));

        page.driver.navigate().refresh();
        page.waitUntil(Duration.ofSeconds(10), "history", d -> page.messages().size() == 4);
        assertEquals("Continue the answer", page.messages().get(2).findElement(By.cssSelector(".text")).getText());
    }

    @Test
    void continue_a_stopped_answer_and_only_the_last_answer_offers_it() throws Exception {
        page.send("[forever:0:40]");
        page.waitUntil(Duration.ofSeconds(10), "some tokens", d -> page.answerSource().length() > 20);
        page.prompt().sendKeys(Keys.ESCAPE);
        assertEquals("user_stop", page.awaitAnswerEnd(Duration.ofSeconds(10)), "Esc stops");
        WebElement stopped = page.lastAssistant();

        page.action(stopped, "Continue");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        assertEquals("Hello world", page.answerSource());
        List<WebElement> continueButtons = page.driver.findElements(By.cssSelector(".message-actions button[data-action='continue']"))
                .stream().filter(WebElement::isDisplayed).toList();
        assertTrue(continueButtons.isEmpty(), "a completed last answer offers no Continue, the stopped one is no longer last");
    }

    /** Pastes the clipboard into the composer and returns what arrived. */
    private String pasted() {
        WebElement prompt = page.prompt();
        prompt.clear();
        prompt.sendKeys(Keys.chord(Keys.CONTROL, "v"));
        String value = prompt.getDomProperty("value");
        prompt.clear();
        return value;
    }

    private static JsonNode lastRequest() {
        return app.upstream.requests.get(app.upstream.requests.size() - 1);
    }
}
