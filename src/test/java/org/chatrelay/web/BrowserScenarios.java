package org.chatrelay.web;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the chat-experience browser tests share: the built WAR on embedded Jetty with a fake upstream serving two
 * models (deepseek-v3.2 by default, claude-sonnet-4-5), and per test a fresh Chromium (a new visitor) on the chat page
 * ({@link BrowserTest}).
 */
abstract class BrowserScenarios extends BrowserTest {

    /** Two models from one (fake) provider, so the picker has a choice; prices come from the price table. */
    @BeforeAll
    static void startApp() throws Exception {
        start("chat-experience", "deepseek-v3.2", "[{'name': 'deepseek-v3.2'}, {'name': 'claude-sonnet-4-5'}]", Map.of());
    }
}
