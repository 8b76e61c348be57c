package org.chatrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.chatrelay.testing.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/** Finished answers as the server's safe markdown, swapped in without a jump; a 20,000-character answer streamed smoothly. */
class MarkdownBrowserIT extends BrowserScenarios {
    /** Watches the latest answer's top edge and the scroll position at the moment the rendering replaces the text. */
    private static final String WATCH_SWAP = """
            window.__swap = null;
            new MutationObserver((records, observer) => {
              const a = [...document.querySelectorAll('#messages .message[data-role="assistant"]')].pop();
              if (a && a.dataset.rendered === 'markdown' && !window.__swap) {
                window.__swap = {topAfter: a.getBoundingClientRect().top, topBefore: window.__lastTop,
                                 pinnedBefore: window.__pinned, pinnedAfter: innerHeight + scrollY >= document.documentElement.scrollHeight - 2};
                observer.disconnect();
              }
            }).observe(document.getElementById('messages'), {subtree: true, attributes: true, attributeFilter: ['data-rendered']});
            (function track() {
              const a = [...document.querySelectorAll('#messages .message[data-role="assistant"]')].pop();
              if (a && a.dataset.rendered !== 'markdown') {
                window.__lastTop = a.getBoundingClientRect().top;
                window.__pinned = innerHeight + scrollY >= document.documentElement.scrollHeight - 2;
              }
              if (!window.__swap) requestAnimationFrame(track);
            })();
            """;

    @Test
    void a_finished_answer_becomes_safe_markdown_in_place() throws Exception {
        page.js(WATCH_SWAP);
        page.send("Show me markdown [md]");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(15)));
        WebElement answer = page.lastAssistant();
        assertEquals("markdown", answer.getDomAttribute("data-rendered"));
        WebElement text = answer.findElement(By.cssSelector(".text.markdown"));

        assertEquals("Heading", text.findElement(By.tagName("h3")).getText(), "'# Heading' sits below the page's own headings");
        assertEquals("bold", text.findElement(By.tagName("strong")).getText());
        assertEquals(2, text.findElements(By.cssSelector("table td")).size(), "the table is rendered");
        List<WebElement> links = text.findElements(By.tagName("a"));
        assertEquals(1, links.size(), "only the safe link is a link: " + links.stream().map(l -> l.getDomAttribute("href")).toList());
        assertEquals("https://example.org/docs", links.get(0).getDomAttribute("href"));
        assertEquals("noopener noreferrer", links.get(0).getDomAttribute("rel"));
        assertTrue(text.getText().contains("bad link"), "the javascript: link keeps its text, not its target");
        assertTrue(driverHasNo("#messages img, #messages script, #messages svg, #messages iframe"), "no active element from model output");
        assertTrue(text.getText().contains("[image: secret]"), "the external image is text, never fetched");
        assertTrue(text.getText().contains("<img src=x onerror=alert(1)>"), "raw HTML shows as text");
        assertThrows(NoAlertPresentException.class, () -> page.driver.switchTo().alert());
        Object fetched = page.js("return performance.getEntriesByType('resource').some(e => e.name.includes('attacker.example'))");
        assertEquals(Boolean.FALSE, fetched, "the browser never requested the image URL");

        WebElement code = text.findElement(By.cssSelector(".code-block"));
        assertEquals("js", code.findElement(By.cssSelector(".code-lang")).getText());
        assertTrue(code.findElement(By.cssSelector("button.copy-code")).isDisplayed(), "code blocks have a copy button");

        @SuppressWarnings("unchecked")
        Map<String, Object> swap = (Map<String, Object>) page.js("return window.__swap");
        System.out.println("[markdown swap] " + swap);
        assertEquals(Boolean.TRUE, swap.get("pinnedBefore"), "the page followed the stream");
        assertEquals(Boolean.TRUE, swap.get("pinnedAfter"), "and stays at the bottom when the rendering replaces the text");
        assertEquals(FakeUpstream.MARKDOWN, page.answerSource(), "Copy gets the markdown source exactly");
        browser.screenshot("done-markdown");

        page.driver.navigate().refresh();
        page.waitUntil(Duration.ofSeconds(10), "the history is rendered", d -> page.messages().size() == 2);
        WebElement stored = page.lastAssistant().findElement(By.cssSelector(".text.markdown"));
        assertEquals("Heading", stored.findElement(By.tagName("h3")).getText(), "the stored answer renders the same after a reload");
        assertEquals(1, stored.findElements(By.tagName("a")).size());
        assertTrue(driverHasNo("#messages img, #messages script"));
    }

    @Test
    void a_reader_who_scrolled_up_keeps_the_answer_in_place_when_the_rendering_replaces_it() throws Exception {
        page.js(WATCH_SWAP);
        page.send("Something long [long:6000:5]");
        page.waitUntil(Duration.ofSeconds(20), "the page scrolls", d -> ((Number) page.js(
                "return document.documentElement.scrollHeight - innerHeight")).intValue() > 600);
        // The reader scrolls up to the answer's start; the stream goes on below without pulling the page along.
        page.js("""
                const a = [...document.querySelectorAll('#messages .message[data-role="assistant"]')].pop();
                window.scrollBy(0, a.getBoundingClientRect().top - 100);
                """);
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(60)));
        @SuppressWarnings("unchecked")
        Map<String, Object> swap = (Map<String, Object>) page.js("return window.__swap");
        System.out.println("[markdown swap, scrolled up] " + swap);
        assertEquals(Boolean.FALSE, swap.get("pinnedBefore"), "the reader was not at the bottom");
        assertEquals(100.0, ((Number) swap.get("topBefore")).doubleValue(), 1.0);
        assertEquals(100.0, ((Number) swap.get("topAfter")).doubleValue(), 1.0, "the answer's top edge did not move");
        assertEquals(FakeUpstream.longText(6000), page.answerSource());
    }

    /**
     * Only the blocks of a long rendering that are on screen are laid out (content-visibility), so the swap is not one
     * long task; the page that followed the stream is still at the bottom frames later, when the blocks on screen
     * have their real heights.
     */
    @Test
    void a_long_rendering_lays_out_only_the_blocks_on_screen_and_the_page_stays_at_the_bottom() throws Exception {
        page.send("Something long [long:20000:1]");
        assertEquals("completed", page.awaitAnswerEnd(Duration.ofSeconds(60)));
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) page.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => {
                  const lists = [...document.querySelectorAll('#messages .message[data-role="assistant"] .markdown > ul')];
                  const laidOut = (ul) => ul.firstElementChild.checkVisibility({contentVisibilityAuto: true});
                  const text = document.querySelector('#messages .message[data-role="assistant"] .markdown');
                  done({lists: lists.length, firstLaidOut: laidOut(lists[0]), lastLaidOut: laidOut(lists.at(-1)),
                        below: document.documentElement.scrollHeight - innerHeight - scrollY, textBottom: text.getBoundingClientRect().bottom, innerHeight});
                })));
                """);
        System.out.println("[long rendering] " + after);
        assertTrue(((Number) after.get("lists")).intValue() > 50, "a rendering of many blocks: " + after);
        assertEquals(Boolean.FALSE, after.get("firstLaidOut"), "the answer's first list, far above the screen, is not laid out");
        assertEquals(Boolean.TRUE, after.get("lastLaidOut"), "its last list, on screen, is");
        // Without content-visibility too, the action bar added at the end leaves the page 26 px short of its bottom.
        assertTrue(((Number) after.get("textBottom")).doubleValue() <= ((Number) after.get("innerHeight")).doubleValue(),
                "the end of the rendering is on screen: " + after);
        assertTrue(((Number) after.get("below")).doubleValue() < 96, "the page that followed the stream is near its bottom: " + after);
        assertEquals(FakeUpstream.longText(20000), page.answerSource());
    }

    private boolean driverHasNo(String css) {
        return page.driver.findElements(By.cssSelector(css)).isEmpty();
    }
}
