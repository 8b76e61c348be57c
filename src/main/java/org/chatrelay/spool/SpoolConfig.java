package org.chatrelay.spool;

import java.nio.file.Path;
import org.chatrelay.config.ConfigException;
import org.chatrelay.config.Settings;

/**
 * Where this node keeps finished answers the database could not take, and how much of them.
 *
 * @param dir      {@code CHATRELAY_DATA_DIR}/spool/{node id}: local to the node, kept across restarts; one per node id, so
 *                 nodes sharing a data directory never replay (or move aside) each other's files
 * @param maxBytes what the spool's files may hold in all; an answer that does not fit is not durable and ends with
 *                 {@code storage_unavailable}
 */
public record SpoolConfig(Path dir, long maxBytes) {

    /** 64 MiB: several thousand long answers, minutes of a busy node's output during an outage. */
    public static final int DEFAULT_MAX_MB = 64;

    public static SpoolConfig from(Settings s, String nodeId) {
        Path dataDir = Path.of(s.get("CHATRELAY_DATA_DIR", "./data"));
        int mb = s.getInt("CHATRELAY_SPOOL_MAX_MB", DEFAULT_MAX_MB);
        if (mb < 1) {
            throw new ConfigException("CHATRELAY_SPOOL_MAX_MB must be at least 1, got " + mb);
        }
        // A node id is a host name in practice, but it must never lead the spool out of its directory.
        String dirName = nodeId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (dirName.matches("\\.*")) {
            dirName = "_" + dirName;
        }
        return new SpoolConfig(dataDir.resolve("spool").resolve(dirName), mb * 1024L * 1024L);
    }
}
