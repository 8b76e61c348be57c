package org.chatrelay.testing;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin pages' browser tests: the app with one admin account, started before a class's first test (which is
 * skipped with {@code -DskipBrowserTests=true}, and fails without Chromium) and closed after its last, and the sign-in
 * through the login page. A class registers it as a {@code @RegisterExtension static} field; its own
 * {@code @BeforeAll} runs after the app started and seeds what its pages should show.
 */
public final class AdminBrowserApp implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final String user;
    private final String password;
    private AppUnderTest app;

    private AdminBrowserApp(String name, String user, String password) {
        this.name = name;
        this.user = user;
        this.password = password;
    }

    public static AdminBrowserApp named(String name, String user, String password) {
        return new AdminBrowserApp(name, user, password);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("skipBrowserTests"), "browser tests skipped (-DskipBrowserTests=true)");
        Browser.requireChromium();
        app = AppUnderTest.named(name).settings(Map.of("chatrelay.admin.user", user, "chatrelay.admin.password", password)).start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    public AppUnderTest app() {
        return app;
    }

    /** On the login page: types the account and submits it. */
    public void submitLogin(WebDriver driver) {
        driver.findElement(By.id("j_username")).sendKeys(user);
        driver.findElement(By.id("j_password")).sendKeys(password);
        driver.findElement(By.cssSelector("form.login button[type=submit]")).click();
    }

    /** Opens {@code path} (behind the sign-in), signs in on the login page it leads to and waits for the report. */
    public void signIn(Browser browser, String path) {
        WebDriver driver = browser.driver;
        driver.get(app.base().resolve(path).toString());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        wait.until(d -> d.getCurrentUrl().endsWith("/login"));
        submitLogin(driver);
        wait.until(d -> !d.findElements(By.id("totals")).isEmpty());
    }
}
