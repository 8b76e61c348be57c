package org.chatrelay.web;

import java.nio.file.Path;
import java.util.Map;
import org.chatrelay.testing.Browser;
import org.chatrelay.testing.ChatPage;
import org.chatrelay.testing.EmbeddedServer;
import org.chatrelay.testing.FakeUpstream;
import org.chatrelay.testing.ProvidersFiles;
import org.chatrelay.testing.Rows;
import org.chatrelay.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the chat-experience browser tests share: the built WAR on embedded Jetty with a fake upstream serving two
 * models (deepseek-v3.2 by default, claude-sonnet-4-5), and per test a fresh Chromium (a new visitor) on the chat page. Skipped only with {@code -DskipBrowserTests=true}; a missing Chromium fails.
 */
abstract class BrowserScenarios {
    static FakeUpstream upstream;
    static EmbeddedServer app;
    static Rows rows;

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

    @BeforeAll
    static void startApp() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped (-DskipBrowserTests=true)");
        Browser.requireChromium();
        upstream = new FakeUpstream();
        String db = TestApp.freshH2("chat-experience");
        rows = new Rows(db);
        // Two models from one (fake) provider, so the picker has a choice; prices come from the price table.
        Path providers = ProvidersFiles.write(ProvidersFiles.dir("chat-experience"), "providers.json",
                "{'defaultModel': 'deepseek-v3.2', 'providers': [{'name': 'fake', 'baseUrl': '" + upstream.baseUrl() + "',"
                        + " 'models': [{'name': 'deepseek-v3.2'}, {'name': 'claude-sonnet-4-5'}]}]}");
        TestApp.configure(Map.of(
                "chatrelay.providers.file", providers.toString(),
                "chatrelay.db.url", db));
        app = new EmbeddedServer(TestApp.warFile(), 32);
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (app != null) {
            app.close();
        }
        if (upstream != null) {
            upstream.close();
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
