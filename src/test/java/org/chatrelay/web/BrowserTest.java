package org.chatrelay.web;

import java.util.Map;
import org.chatrelay.testing.AppUnderTest;
import org.chatrelay.testing.Browser;
import org.chatrelay.testing.ChatPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lifecycle the chat page's browser tests share: a subclass's {@code @BeforeAll} starts the WAR against a fake
 * upstream ({@link #start}); per test a fresh Chromium (a new visitor) opens the chat page, and a
 * failure leaves a screenshot. Skipped only with {@code -DskipBrowserTests=true}; a missing Chromium fails.
 */
abstract class BrowserTest {
    static AppUnderTest app;

    Browser browser;
    ChatPage page;

    /** On a failure, a screenshot of what the page looked like, before the browser is closed. */
    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            try {
                browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
            } catch (RuntimeException ignored) {
                // The browser itself may be what failed.
            }
        }
    };

    /**
     * Starts the WAR on a fresh H2 database with one fake provider serving {@code models} (a JSON array, single quotes
     * for double), {@code defaultModel} first in the picker.
     */
    static void start(String name, String defaultModel, String models, Map<String, String> settings) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped (-DskipBrowserTests=true)");
        Browser.requireChromium();
        app = AppUnderTest.named(name).settings(settings).providers(1, upstreams -> "{'defaultModel': '" + defaultModel
                + "', 'providers': [{'name': 'fake', 'baseUrl': '" + upstreams.get(0).baseUrl() + "', 'models': " + models + "}]}")
                .start();
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @BeforeEach
    void openPage() throws Exception {
        browser = Browser.open();
        page = new ChatPage(browser).open(app.base().toString());
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
