package org.chatrelay.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;
import org.junit.jupiter.api.Test;

class SpoolConfigTest {

    @Test
    void the_spool_of_a_node_is_under_the_data_directory_and_bounded_at_64_mib_by_default() {
        SpoolConfig c = SpoolConfig.from(Settings.of(Map.of()), "node-a");
        assertEquals(Path.of("./data/spool/node-a"), c.dir());
        assertEquals(64L * 1024 * 1024, c.maxBytes());
    }

    @Test
    void data_directory_and_bound_are_configurable() {
        SpoolConfig c = SpoolConfig.from(Settings.of(Map.of("CHATRELAY_DATA_DIR", "/var/lib/chatrelay", "CHATRELAY_SPOOL_MAX_MB", "2")), "n1");
        assertEquals(Path.of("/var/lib/chatrelay/spool/n1"), c.dir());
        assertEquals(2L * 1024 * 1024, c.maxBytes());
    }

    @Test
    void a_node_id_never_leads_out_of_the_spool_directory() {
        assertEquals(Path.of("./data/spool/.._etc"), SpoolConfig.from(Settings.of(Map.of()), "../etc").dir());
        assertEquals(Path.of("./data/spool/_.."), SpoolConfig.from(Settings.of(Map.of()), "..").dir());
    }

    @Test
    void a_bound_below_one_mib_is_refused_at_start() {
        assertThrows(ConfigException.class, () -> SpoolConfig.from(Settings.of(Map.of("CHATRELAY_SPOOL_MAX_MB", "0")), "n1"));
    }
}
