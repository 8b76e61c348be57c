package org.chatrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.AdminBrowserApp;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.Browser;
import org.chatrelay.testing.ChatClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An admin in headless Chromium: the login page, the report with its figures and four SVG charts (in light and
 * dark mode), and a transcript where HTML typed by a visitor stays text. Screenshots in {@code target/screenshots/}.
 */
class AdminReportBrowserIT {
    static final String USER = "browser-admin";
    static final String PASSWORD = "browser-password-1";
    @RegisterExtension
    static final AdminBrowserApp SITE = AdminBrowserApp.named("admin-browser", USER, PASSWORD);
    static AppUnderTest app;

    @BeforeAll
    static void seed() throws Exception {
        app = SITE.app();
        ChatClient visitor = new ChatClient(app.base()).open();
        String id = visitor.chat(null, "<b>Hello</b> admin [slow:5:10]").first("start").data().get("conversationId").asText();
        visitor.chat(id, "and a cut one [cut]");
        visitor.chat(null, "another conversation [slow:8:5]");
    }

    @Test
    void an_admin_signs_in_and_sees_the_report_with_its_charts_and_a_transcript() throws Exception {
        try (Browser browser = Browser.open()) {
            var driver = browser.driver;
            driver.get(app.base().resolve("admin").toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
            wait.until(d -> d.getCurrentUrl().endsWith("/login"));
            browser.screenshot("admin-login");
            SITE.submitLogin(driver);
            try {
                wait.until(d -> d.getCurrentUrl().endsWith("/admin") && !d.findElements(By.id("totals")).isEmpty());
            } catch (RuntimeException e) {
                browser.screenshot("failed-admin-login");
                throw new AssertionError("not on the report after signing in: " + driver.getCurrentUrl(), e);
            }

            assertEquals("3", figure(driver, "answers"));
            assertEquals("2", figure(driver, "conversations"));
            assertEquals("1", figure(driver, "visitors"));
            assertTrue(figure(driver, "ttft-p50").endsWith(" ms"), figure(driver, "ttft-p50"));
            List<WebElement> charts = driver.findElements(By.cssSelector("figure.chart svg"));
            assertEquals(4, charts.size());
            for (WebElement svg : charts) {
                assertTrue(svg.getSize().getWidth() > 200 && svg.getSize().getHeight() > 80, "drawn: " + svg.getSize());
                assertFalse(svg.findElements(By.cssSelector(".tick")).isEmpty(), "axis labels");
            }
            assertFalse(driver.findElements(By.cssSelector("#answers-per-day .bars rect")).isEmpty());
            assertFalse(driver.findElements(By.cssSelector("#ttft-histogram .bars rect")).isEmpty());
            assertFalse(driver.findElements(By.cssSelector("#ttft-p95-per-day .dots circle")).isEmpty());
            assertTrue(driver.findElement(By.id("errors")).getText().contains("upstream_cut"));
            String barFill = (String) driver.executeScript(
                    "return getComputedStyle(document.querySelector('#answers-per-day .bars rect')).fill");
            browser.screenshot("admin-report");
            driver.executeScript("document.getElementById('charts-h').scrollIntoView()");
            browser.screenshot("admin-report-charts");

            driver.executeCdpCommand("Emulation.setEmulatedMedia",
                    Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
            String darkFill = (String) driver.executeScript(
                    "return getComputedStyle(document.querySelector('#answers-per-day .bars rect')).fill");
            String darkText = (String) driver.executeScript(
                    "return getComputedStyle(document.querySelector('#answers-per-day .tick')).fill");
            assertFalse(barFill.equals(darkFill), "charts follow the colour scheme: " + barFill);
            assertFalse(darkText.equals("rgb(0, 0, 0)"), "axis text stays readable on a dark background");
            browser.screenshot("admin-report-dark");

            driver.findElement(By.linkText("Conversations")).click();
            wait.until(d -> !d.findElements(By.id("conversations")).isEmpty());
            driver.findElement(By.partialLinkText("<b>Hello</b>")).click();
            wait.until(d -> !d.findElements(By.cssSelector(".transcript")).isEmpty());
            WebElement first = driver.findElement(By.cssSelector(".turn[data-role=user] .text"));
            assertTrue(first.getText().startsWith("<b>Hello</b> admin"), first.getText());
            assertTrue(driver.findElements(By.cssSelector(".turn b")).isEmpty(), "no markup from the visitor");
            assertTrue(driver.findElement(By.cssSelector(".transcript")).getText().contains("ended: upstream_cut"));
            browser.screenshot("admin-transcript");

            driver.findElement(By.cssSelector(".logout button")).click();
            wait.until(d -> d.getCurrentUrl().contains("/login?out"));
            driver.get(app.base().resolve("admin").toString());
            wait.until(d -> d.getCurrentUrl().endsWith("/login"));
        }
    }

    static String figure(org.openqa.selenium.WebDriver driver, String name) {
        return driver.findElement(By.cssSelector("[data-figure=" + name + "]")).getText();
    }
}
