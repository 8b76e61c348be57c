package org.chatrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.chatrelay.admin.report.QualityFixture;
import org.chatrelay.testing.AdminBrowserApp;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.Browser;
import org.chatrelay.testing.ChatPage;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Issue 17 in Chromium: a visitor rates an answer, changes the rating, reloads and sees it, and the admin report
 * shows it; the export downloads exactly the conversation's current thread; the report (with the fixed quality
 * dataset of QualityFiguresTest yesterday) at 1280 and 360 px, light and dark, with no table wider than its card,
 * and no console error on any page. Screenshots: {@code target/screenshots/quality-*.png}.
 */
class QualityBrowserIT {
    static final String USER = "quality-admin";
    static final String PASSWORD = "quality-password-1";
    @RegisterExtension
    static final AdminBrowserApp SITE = AdminBrowserApp.named("quality-browser", USER, PASSWORD);
    static AppUnderTest app;

    @BeforeAll
    static void seed() throws Exception {
        app = SITE.app();
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(app.dbUrl);
        ds.setUser("sa");
        QualityFixture.fixedDataset(ds, LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(8, 0).toInstant(ZoneOffset.UTC));
    }

    @Test
    void a_visitor_rates_an_answer_changes_it_reloads_and_the_report_shows_it() throws Exception {
        try (Browser browser = Browser.open()) {
            ChatPage page = new ChatPage(browser).open(app.base().toString());
            Object[] focus = ((java.util.List<?>) page.js("const p = document.getElementById('prompt'); p.focus();"
                    + " const s = getComputedStyle(p); return [s.outlineColor, s.outlineWidth,"
                    + " getComputedStyle(document.querySelector('.new-chat')).color];")).toArray();
            assertEquals(focus[2], focus[0], "the focused message box has the accent colour, not the orange focus ring");
            assertEquals("2px", focus[1]);
            page.send("Was this helpful?");
            page.awaitAnswerEnd(Duration.ofSeconds(15));
            WebElement answer = page.lastAssistant();
            WebElement group = answer.findElement(By.cssSelector(".feedback[role=group]"));
            assertEquals("Rate this answer", group.getDomAttribute("aria-label"));
            WebElement up = group.findElement(By.cssSelector("button.thumb[data-rating=up]"));
            WebElement down = group.findElement(By.cssSelector("button.thumb[data-rating=down]"));
            up.click();
            page.waitUntil(Duration.ofSeconds(5), "rated up", d -> "true".equals(up.getDomAttribute("aria-pressed")) && "up".equals(answer.getDomAttribute("data-feedback")));
            String messageId = answer.getDomAttribute("data-message-id");
            assertEquals(1, stored(messageId).get("rating"));

            // From the keyboard: Enter on the other thumb changes the rating; a comment is saved with Enter.
            down.sendKeys(Keys.ENTER);
            page.waitUntil(Duration.ofSeconds(5), "changed to down", d -> "down".equals(answer.getDomAttribute("data-feedback")));
            assertEquals("false", up.getDomAttribute("aria-pressed"));
            WebElement comment = answer.findElement(By.cssSelector(".feedback-comment input"));
            assertEquals("Comment (optional)", answer.findElement(By.cssSelector("label[for='" + comment.getDomAttribute("id") + "']")).getText());
            comment.sendKeys("Too vague", Keys.ENTER);
            page.waitUntil(Duration.ofSeconds(5), "comment saved", d -> "Too vague".equals(stored(messageId).get("comment")));
            assertEquals(-1, stored(messageId).get("rating"));
            assertEquals(1, app.rows.query("SELECT usage_id FROM answer_feedback f JOIN answer_usage u ON u.id = f.usage_id"
                    + " WHERE u.message_id = ?", messageId).size(), "one rating per answer");
            browser.screenshot("quality-chat-rated");

            page.driver.navigate().refresh();
            page.open(page.driver.getCurrentUrl());
            WebElement reloaded = page.lastAssistant();
            assertEquals("true", reloaded.findElement(By.cssSelector("button.thumb[data-rating=down]")).getDomAttribute("aria-pressed"));
            assertEquals("false", reloaded.findElement(By.cssSelector("button.thumb[data-rating=up]")).getDomAttribute("aria-pressed"));
            assertEquals("Too vague", reloaded.findElement(By.cssSelector(".feedback-comment input")).getDomProperty("value"));
            assertEquals(List.of(), browser.consoleErrors(), "chat page console");

            String provider = (String) app.rows.one("SELECT provider FROM answer_usage WHERE message_id = ?", messageId).get("provider");
            SITE.signIn(browser, "admin?provider=" + java.net.URLEncoder.encode(provider, java.nio.charset.StandardCharsets.UTF_8));
            WebElement main = browser.driver.findElement(By.cssSelector("#quality tbody tr"));
            long answers = ((Number) app.rows.one("SELECT COUNT(*) AS n FROM answer_usage WHERE provider = ? AND end_reason IS NOT NULL",
                    provider).get("n")).longValue();
            assertEquals("1 of " + answers, main.findElement(By.cssSelector("td[data-label=Rated]")).getText());
            assertTrue(main.findElement(By.cssSelector("td[data-label^=Thumbs-up]")).getText().startsWith("0.00%"),
                    main.getText());
        }
    }

    @Test
    void the_export_downloads_exactly_the_current_thread_as_markdown_and_json() throws Exception {
        Path downloads = Files.createTempDirectory("chatrelay-downloads-");
        try (Browser browser = Browser.open()) {
            browser.driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
            ChatPage page = new ChatPage(browser).open(app.base().toString());
            assertFalse(browser.driver.findElement(By.id("export")).isDisplayed(), "nothing to export before the first answer");
            page.send("First [count]");
            page.awaitAnswerEnd(Duration.ofSeconds(15));
            page.send("Second question");
            page.awaitAnswerEnd(Duration.ofSeconds(15));
            page.action(page.lastAssistant(), "Regenerate");
            page.waitUntil(Duration.ofSeconds(15), "regenerated", d -> page.messages().size() == 4 && "completed".equals(
                    page.lastAssistant().getDomAttribute("data-status")) && "false".equals(page.body().getDomAttribute("data-streaming")));
            String conversation = browser.driver.findElement(By.id("chat")).getDomAttribute("data-conversation-id");
            List<String> ids = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (WebElement m : page.messages()) {
                ids.add(m.getDomAttribute("data-message-id"));
                List<WebElement> source = m.findElements(By.cssSelector(".source"));
                texts.add((source.isEmpty() ? m.findElement(By.cssSelector(".text")) : source.get(0)).getAttribute("textContent").strip());
            }
            assertEquals(5, ((Number) app.rows.one("SELECT COUNT(*) AS n FROM message WHERE conversation_id = ?", conversation).get("n")).intValue(),
                    "the replaced answer is stored, so the export must leave it out");

            browser.driver.findElement(By.id("export-json")).click();
            JsonNode json = new ObjectMapper().readTree(download(downloads, "chatrelay-" + conversation + ".json"));
            assertEquals(ids, json.get("messages").findValuesAsText("id"));
            List<String> exported = new ArrayList<>();
            json.get("messages").forEach(m -> exported.add(m.get("content").asText().strip()));
            assertEquals(texts, exported);

            browser.driver.findElement(By.id("export-md")).click();
            StringBuilder expected = new StringBuilder("# First [count]\n\n");
            for (int i = 0; i < texts.size(); i++) {
                expected.append(i % 2 == 0 ? "## You\n\n" : "## Assistant\n\n").append(texts.get(i)).append("\n\n");
            }
            assertEquals(expected.toString(), download(downloads, "chatrelay-" + conversation + ".md"));
            assertEquals(List.of(), browser.consoleErrors());
        }
    }

    @Test
    void the_report_fits_its_cards_at_1280_and_360_px_in_light_and_dark_and_no_page_logs_a_console_error() throws Exception {
        try (Browser browser = Browser.open()) {
            var driver = browser.driver;
            ChatPage page = new ChatPage(browser).open(app.base().toString());
            page.send("A question for the pages");
            page.awaitAnswerEnd(Duration.ofSeconds(15));
            assertEquals(List.of(), browser.consoleErrors(), "chat page");
            String conversation = driver.findElement(By.id("chat")).getDomAttribute("data-conversation-id");
            page.open(app.base().resolve("c/" + conversation).toString());
            assertEquals(List.of(), browser.consoleErrors(), "a conversation's page");
            assertEquals(200L, driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + " fetch(document.querySelector('link[rel=icon]').href).then(r => done(r.status))"), "the favicon exists");

            driver.get(app.base().resolve("admin").toString());
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/login"));
            assertEquals(List.of(), browser.consoleErrors(), "login page");
            SITE.signIn(browser, "admin");
            assertTrue(driver.findElement(By.cssSelector("#canary .verdict")).getText().startsWith("canary: "),
                    driver.findElement(By.cssSelector("#canary .verdict")).getText());
            assertTrue(driver.findElement(By.id("buffering-hint")).isDisplayed(), "the canary's 2 of 20 buffered answers raise the hint");
            assertEquals(List.of("totals", "latency", "by-day", "by-model", "by-provider", "errors", "arms", "quality", "browser",
                    "thinking",
                    "raw usage rows"), driver.findElements(By.cssSelector(".downloads li")).stream().map(WebElement::getText).toList());
            assertEquals("\"·\"", driver.executeScript(
                    "return getComputedStyle(document.querySelectorAll('.downloads li')[1], '::before').content"), "links are separated");

            for (int width : new int[] {1280, 360}) {
                for (String scheme : new String[] {"light", "dark"}) {
                    driver.executeCdpCommand("Emulation.setEmulatedMedia",
                            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
                    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                            Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", width < 600));
                    List<String> overflowing = overflowingTables(browser);
                    assertEquals(List.of(), overflowing, "tables wider than their card at " + width + " px, " + scheme);
                    long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
                    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                            Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
                    browser.screenshot("quality-report-" + width + "-" + scheme);
                }
            }
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
            // A name broken over two lines ("mai" / "n") is an inline box with two client rectangles.
            assertEquals(List.of(1L, 1L, 1L, 1L), driver.executeScript("return [...document.querySelectorAll("
                    + "'#arms tbody th > span:first-child, #quality tbody th > span:first-child')].map(s => s.getClientRects().length)"),
                    "each arm's name on one line");
            assertEquals(List.of(), browser.consoleErrors(), "report page");

            for (String path : new String[] {"admin/conversations", "admin/conversations/" + conversation}) {
                driver.get(app.base().resolve(path).toString());
                assertEquals(List.of(), browser.consoleErrors(), path);
            }
            browser.screenshot("quality-transcript");
        }
    }

    /** Each table that is wider than its card (.table-wrap), or a card wider than the page. */
    @SuppressWarnings("unchecked")
    static List<String> overflowingTables(Browser browser) {
        return (List<String>) browser.driver.executeScript("""
                const out = [];
                const page = document.documentElement.clientWidth;
                for (const wrap of document.querySelectorAll('.table-wrap')) {
                  const table = wrap.querySelector('table');
                  const id = table.id || table.getAttribute('aria-labelledby') || '?';
                  if (wrap.scrollWidth > wrap.clientWidth + 1) out.push(id + ': ' + wrap.scrollWidth + ' > ' + wrap.clientWidth);
                  if (wrap.getBoundingClientRect().right > page + 1) out.push(id + ': card ends at ' + wrap.getBoundingClientRect().right);
                }
                if (document.documentElement.scrollWidth > page + 1) out.push('page: ' + document.documentElement.scrollWidth + ' > ' + page);
                return out;
                """);
    }

    static Map<String, Object> stored(String messageId) {
        List<Map<String, Object>> found = app.rows.query("SELECT f.rating, f.comment FROM answer_feedback f JOIN answer_usage u"
                + " ON u.id = f.usage_id WHERE u.message_id = ?", messageId);
        if (found.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> row = new java.util.HashMap<>(found.get(0));
        row.put("rating", ((Number) row.get("rating")).intValue());
        return row;
    }

    static String download(Path dir, String name) throws Exception {
        Path file = dir.resolve(name);
        Instant until = Instant.now().plusSeconds(10);
        while (!Files.isRegularFile(file) || Files.size(file) == 0) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(name + " was not downloaded; the folder holds " + List.of(dir.toFile().list()));
            }
            Thread.sleep(50);
        }
        return Files.readString(file);
    }
}
