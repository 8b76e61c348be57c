package org.chatrelay.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The chat page as the browser tests drive it: what a visitor types, clicks and sees. */
public final class ChatPage {
    public static final Set<String> RUNNING = Set.of("pending", "streaming");
    /** axe-core, installed from the npm registry by Maven (src/test/js/package-lock.json). */
    static final Path AXE = Path.of("src", "test", "js", "node_modules", "axe-core", "axe.min.js");

    public final ChromeDriver driver;

    public ChatPage(Browser browser) {
        this.driver = browser.driver;
    }

    /** Opens a page of the app and waits until its script is ready. */
    public ChatPage open(String url) {
        driver.get(url);
        waitUntil(Duration.ofSeconds(10), "the page script is ready",
                d -> "false".equals(body().getDomAttribute("data-streaming")) && prompt().isEnabled());
        return this;
    }

    public void send(String text) {
        prompt().sendKeys(text);
        prompt().sendKeys(Keys.ENTER);
    }

    public WebElement prompt() {
        return driver.findElement(By.id("prompt"));
    }

    public WebElement body() {
        return driver.findElement(By.tagName("body"));
    }

    public List<WebElement> messages() {
        return driver.findElements(By.cssSelector("#messages .message:not([hidden])"));
    }

    public WebElement lastAssistant() {
        List<WebElement> answers = driver.findElements(By.cssSelector("#messages .message[data-role='assistant']:not([hidden])"));
        if (answers.isEmpty()) {
            throw new AssertionError("no assistant message on the page");
        }
        return answers.get(answers.size() - 1);
    }

    /** The latest answer exactly as received: the streamed text, or the source kept beside the rendering. */
    public String answerSource() {
        WebElement answer = lastAssistant();
        List<WebElement> source = answer.findElements(By.cssSelector(".source"));
        return (source.isEmpty() ? answer.findElement(By.cssSelector(".text")) : source.get(0)).getAttribute("textContent");
    }

    /** Waits until the latest answer has ended (and shows its final rendering, if any) and returns its data-status. */
    public String awaitAnswerEnd(Duration timeout) {
        return waitUntil(timeout, "the answer ends", d -> {
            if (d.findElements(By.cssSelector("#messages .message[data-role='assistant']")).isEmpty()) {
                return null;
            }
            String status = lastAssistant().getDomAttribute("data-status");
            boolean idle = "false".equals(body().getDomAttribute("data-streaming"));
            return status == null || RUNNING.contains(status) || !idle ? null : status;
        });
    }

    /**
     * From now on, remembers the streamed text of the answers that end on this page: the plain text the page showed
     * token by token, which the server's rendering replaces at the end ({@link #streamedText}).
     */
    public void recordStreamedText() {
        js("""
                window.streamedText = [];
                new MutationObserver((changes) => {
                  for (const change of changes) for (const node of change.removedNodes) {
                    if (node.classList?.contains('text') && !node.classList.contains('markdown')
                        && change.target.dataset?.role === 'assistant') window.streamedText.push(node.textContent);
                  }
                }).observe(document.getElementById('messages'), {childList: true, subtree: true});
                """);
    }

    /** The streamed text of the last answer that ended since {@link #recordStreamedText}. */
    public String streamedText() {
        return waitUntil(Duration.ofSeconds(5), "the streamed text was replaced by the rendering",
                d -> (String) js("return window.streamedText.at(-1) ?? null"));
    }

    /** The text the latest answer shows now (while it streams: what arrived and was painted). */
    public int shownLength() {
        return ((Number) js("const a = [...document.querySelectorAll('#messages .message[data-role=\"assistant\"] > .text')].pop();"
                + " return a ? a.textContent.length : 0;")).intValue();
    }

    /** Waits until the latest answer shows at least {@code chars} characters. */
    public void awaitShown(int chars, Duration timeout) {
        waitUntil(timeout, "the answer shows " + chars + " characters", d -> shownLength() >= chars);
    }

    /** Clicks the action button (Copy, Regenerate, Edit, Continue) of a message. */
    public void action(WebElement message, String label) {
        WebElement button = waitUntil(Duration.ofSeconds(5), label + " button shown", d -> message.findElements(By.cssSelector(".message-actions button"))
                .stream().filter(b -> b.isDisplayed() && b.getText().equals(label)).findFirst().orElse(null));
        button.click();
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public <T> T waitUntil(Duration timeout, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(what)
                .until(condition);
    }

    /** prefers-color-scheme as the page sees it, through the DevTools protocol (no browser restart). */
    public void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** A phone-sized viewport (CSS pixels), or back to the desktop window with width 0. */
    public void viewport(int width, int height) {
        if (width == 0) {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        } else {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
        }
    }

    /** Runs axe-core on the page and returns its serious and critical violations as "id: help (n nodes)" lines. */
    @SuppressWarnings("unchecked")
    public List<String> seriousAccessibilityViolations() throws Exception {
        if (!Files.isRegularFile(AXE)) {
            throw new AssertionError(AXE + " is missing: 'mvn verify' installs it with npm ci (see pom.xml, profile browser-test-tools)");
        }
        if (!Boolean.TRUE.equals(js("return typeof window.axe === 'object'"))) {
            js(Files.readString(AXE));
        }
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                      .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes: '
                          + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')')))
                  .catch(e => done(['axe failed: ' + e]));
                """);
        return (List<String>) result;
    }
}
