package org.chatrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's checks on the main sources' imports: App wires everything and nothing looks it up; the lower layers and
 * the shared HTTP helpers import nothing above them; no package imports one beside it.
 */
class LayersTest {
    private static final Path ROOT = Path.of("src/main/java/org/chatrelay");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.chatrelay\\.([a-z]+)\\.", Pattern.MULTILINE);

    /** Top-level package of each main file → the top-level packages it imports. */
    static Map<String, Set<String>> importsByFile() {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Set<String> used = new TreeSet<>();
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
                imports.put(ROOT.relativize(f).toString().replace('\\', '/'), used);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(imports.isEmpty(), "no sources under " + ROOT.toAbsolutePath());
        return imports;
    }

    static List<String> filesIn(String pkg, Set<String> forbidden) {
        return importsByFile().entrySet().stream()
                .filter(e -> e.getKey().startsWith(pkg + "/"))
                .filter(e -> e.getValue().stream().anyMatch(forbidden::contains))
                .map(e -> e.getKey() + " imports " + e.getValue())
                .toList();
    }

    @Test
    void only_app_itself_imports_app_so_nothing_looks_it_up_at_request_time() {
        List<String> offenders = importsByFile().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("app/") && e.getValue().contains("app"))
                .map(e -> e.getKey() + " imports " + e.getValue())
                .toList();
        assertEquals(List.of(), offenders);
    }

    @Test
    void relay_upstream_persistence_routing_and_config_import_neither_web_nor_admin_nor_app() {
        for (String lower : List.of("relay", "upstream", "persistence", "routing", "config")) {
            assertEquals(List.of(), filesIn(lower, Set.of("web", "admin", "app")), lower);
        }
    }

    @Test
    void the_shared_http_helpers_import_none_of_their_users() {
        assertEquals(List.of(), filesIn("http", Set.of("web", "admin", "relay", "ops", "app")));
    }

    @Test
    void web_and_admin_do_not_import_each_other_and_admin_does_not_import_the_relay() {
        assertEquals(List.of(), filesIn("web", Set.of("admin")));
        assertEquals(List.of(), filesIn("admin", Set.of("web", "relay")));
    }

    @Test
    void the_token_counter_and_the_demo_upstream_form_no_loop() {
        assertEquals(List.of(), filesIn("upstream", Set.of("tokens")));
    }
}
