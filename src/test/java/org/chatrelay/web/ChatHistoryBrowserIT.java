package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The history sidebar: newest first, a new chat, rename, delete with a confirmation, search by title and text. */
class ChatHistoryBrowserIT extends BrowserScenarios {

    @Test
    void the_sidebar_lists_the_visitors_conversations_newest_first_and_new_chat_starts_fresh() throws Exception {
        chat("First topic");
        page.driver.findElement(By.cssSelector(".site-nav .new-chat")).click();
        page.open(page.driver.getCurrentUrl());
        assertTrue(page.messages().isEmpty(), "New chat shows an empty conversation");
        chat("Second topic");

        assertEquals(List.of("Second topic", "First topic"), titles(), "newest first");
        WebElement current = page.driver.findElement(By.cssSelector("#history [aria-current='page'] .history-link"));
        assertEquals("Second topic", current.getText(), "the open conversation is marked current");

        page.driver.findElement(By.linkText("First topic")).click();
        page.waitUntil(Duration.ofSeconds(10), "the first conversation opens", d -> page.messages().size() == 2
                && page.messages().get(0).getText().contains("First topic"));
        assertEquals("First topic", page.driver.findElement(By.id("chat-title")).getText());
    }

    @Test
    void rename_changes_the_title_in_the_sidebar_and_on_the_page() throws Exception {
        chat("Untitled musings");
        item("Untitled musings").findElement(By.cssSelector("button.rename")).click();
        WebElement input = page.driver.findElement(By.id("rename-input"));
        assertEquals(input, page.driver.switchTo().activeElement(), "the dialog takes focus");
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Trip to <Lisbon>", Keys.ENTER);

        page.waitUntil(Duration.ofSeconds(5), "renamed", d -> titles().contains("Trip to <Lisbon>"));
        assertEquals("Trip to <Lisbon>", page.driver.findElement(By.id("chat-title")).getText(), "the page title follows");
        assertEquals("Trip to <Lisbon>", app.rows.one("SELECT title FROM conversation WHERE id = ?", conversationId()).get("title"));
        page.driver.navigate().refresh();
        page.waitUntil(Duration.ofSeconds(5), "reloaded", d -> titles().contains("Trip to <Lisbon>"));
    }

    @Test
    void delete_asks_first_and_keeps_the_usage_rows_for_the_cost_history() throws Exception {
        chat("Keep me");
        page.driver.findElement(By.cssSelector(".site-nav .new-chat")).click();
        page.open(page.driver.getCurrentUrl());
        chat("Delete me");
        String doomed = conversationId();
        Number usageBefore = (Number) app.rows.one("SELECT COUNT(*) AS n FROM answer_usage WHERE conversation_id = ?", doomed).get("n");

        WebElement deleteButton = item("Delete me").findElement(By.cssSelector("button.delete"));
        deleteButton.click();
        WebElement dialog = page.driver.findElement(By.id("delete-dialog"));
        assertTrue(dialog.isDisplayed(), "a confirmation comes first");
        assertTrue(dialog.getText().contains("Delete me"), dialog.getText());
        browser.screenshot("delete-confirmation");
        dialog.findElement(By.cssSelector("button.cancel")).click();
        page.waitUntil(Duration.ofSeconds(5), "the dialog closes", d -> !dialog.isDisplayed());
        assertEquals(deleteButton, page.driver.switchTo().activeElement(), "focus returns to the Delete button");
        assertEquals(List.of("Delete me", "Keep me"), titles(), "Cancel deletes nothing");

        deleteButton.click();
        dialog.findElement(By.cssSelector("button.danger")).click();

        page.waitUntil(Duration.ofSeconds(10), "back on a new chat", d -> d.getCurrentUrl().equals(app.base().toString()));
        page.open(page.driver.getCurrentUrl());
        assertEquals(List.of("Keep me"), titles());
        assertTrue(app.rows.query("SELECT id FROM conversation WHERE id = ?", doomed).isEmpty());
        assertTrue(app.rows.query("SELECT id FROM message WHERE conversation_id = ?", doomed).isEmpty());
        List<Map<String, Object>> usage = app.rows.query("SELECT message_id, cost_micros FROM answer_usage WHERE conversation_id = ?", doomed);
        assertEquals(usageBefore.intValue(), usage.size(), "the usage rows stay");
        assertTrue(usage.stream().allMatch(u -> u.get("message_id") == null && u.get("cost_micros") != null), "detached, cost kept: " + usage);
    }

    @Test
    void search_finds_conversations_by_title_and_by_text() throws Exception {
        chat("Recipes for dinner");
        page.driver.findElement(By.cssSelector(".site-nav .new-chat")).click();
        page.open(page.driver.getCurrentUrl());
        chat("Bicycle repair");

        WebElement search = page.driver.findElement(By.id("search"));
        search.sendKeys("DINNER");
        page.waitUntil(Duration.ofSeconds(5), "title match", d -> titles().equals(List.of("Recipes for dinner")));
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), "hello world");
        page.waitUntil(Duration.ofSeconds(5), "text match: both answers say it", d -> titles().size() == 2);
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), "100%_nothing");
        page.waitUntil(Duration.ofSeconds(5), "no match", d -> titles().isEmpty());
        assertEquals("No conversation matches.", page.driver.findElement(By.id("history-empty")).getText());
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        page.waitUntil(Duration.ofSeconds(5), "everything again", d -> titles().size() == 2);
    }

    private void chat(String text) {
        page.send(text);
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(10)));
        page.waitUntil(Duration.ofSeconds(5), "the sidebar lists it", d -> titles().contains(text));
    }

    private List<String> titles() {
        return page.driver.findElements(By.cssSelector("#history .history-link")).stream().map(e -> e.getAttribute("textContent")).toList();
    }

    private WebElement item(String title) {
        return page.driver.findElements(By.cssSelector("#history .history-item")).stream()
                .filter(li -> li.findElement(By.cssSelector(".history-link")).getAttribute("textContent").equals(title))
                .findFirst().orElseThrow(() -> new AssertionError("no '" + title + "' in " + titles()));
    }

    private String conversationId() {
        return page.driver.findElement(By.id("chat")).getDomAttribute("data-conversation-id");
    }
}
