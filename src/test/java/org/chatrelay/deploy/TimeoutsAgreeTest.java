package org.chatrelay.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.chatrelay.config.AppConfig;
import org.chatrelay.config.Settings;
import org.junit.jupiter.api.Test;

/**
 * The shipped nginx and Jetty settings against the app's defaults: nothing between the browser and the app may
 * time out a stream that only sends heartbeats, nor one still connecting (it heartbeats every second after at most
 * 3 s). If someone shortens a proxy timeout or lengthens the heartbeat, this fails before a deployment does.
 */
class TimeoutsAgreeTest {
    static final Path CONFIG = Path.of(System.getProperty("chatrelay.jetty.config", "jetty-config"));

    @Test
    void the_shipped_proxy_and_connector_timeouts_stay_above_the_default_heartbeat() throws Exception {
        Duration heartbeat = AppConfig.from(Settings.of(Map.of())).heartbeat();
        String nginx = Files.readString(CONFIG.resolve("nginx/chatrelay.conf"));
        String http = Files.readString(CONFIG.resolve("start.d/http.ini"));
        Map<String, Duration> timeouts = Map.of(
                "nginx proxy_read_timeout", seconds(nginx, "(?m)^\\s*proxy_read_timeout (\\d+)s;"),
                "nginx proxy_send_timeout", seconds(nginx, "(?m)^\\s*proxy_send_timeout (\\d+)s;"),
                "Jetty jetty.http.idleTimeout", Duration.ofMillis(Long.parseLong(find(http, "(?m)^jetty\\.http\\.idleTimeout=(\\d+)"))));
        timeouts.forEach((name, timeout) -> {
            // Twice the heartbeat: one late tick or a slow write must not be enough to cut a quiet stream.
            assertTrue(timeout.compareTo(heartbeat.multipliedBy(2)) >= 0, name + " " + timeout + " against the heartbeat " + heartbeat);
            assertTrue(timeout.toSeconds() > 3, name + " " + timeout + " against a connecting answer's first heartbeat");
        });
    }

    static Duration seconds(String text, String pattern) {
        return Duration.ofSeconds(Long.parseLong(find(text, pattern)));
    }

    static String find(String text, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        assertTrue(m.find(), "no match for " + pattern);
        return m.group(1);
    }
}
