package org.chatrelay.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import org.chatrelay.testing.JettyNode;
import org.chatrelay.testing.Nginx;
import org.chatrelay.testing.TestDb;

/**
 * Everything one benchmark run measures, started once: the upstream and the load generator in this JVM (pinned by
 * the command that started it), and, pinned with {@code taskset} to the proxy cores, three relays as standalone Jetty
 * nodes built from jetty-config/ exactly as the deployment tests build them (on an H2 file database, on a database in
 * the embedded PostgreSQL the tests use, and with {@code CHATRELAY_PERSISTENCE=off}) and Debian's nginx with the
 * shipped config in front of the same upstream. The H2 relay's gateway ({@code /v1/chat/completions} with a virtual
 * key made through the master-key API) is a target of its own. The embedded PostgreSQL is a child of this JVM, so it
 * runs on the load generator's core: its CPU is not counted as the relay's.
 */
final class Rig implements AutoCloseable {
    /**
     * The relays' collector: ZGC, as docs/deployment.md runs a node (no stop-the-world pause grows with the live
     * streams), unless {@code -Dbench.gc} names another (e.g. {@code -XX:+UseG1GC}, the JVM's usual default). Named
     * either way: pinned to one core the JVM would otherwise pick the serial collector by itself.
     */
    static String gc() {
        String gc = System.getProperty("bench.gc", "");
        return gc.isBlank() ? "-XX:+UseZGC" : gc;
    }

    /**
     * The relays' JVM options as the report states them. Compiler threads stay (not the JDK's dynamic number), so their
     * CPU can be read and left out of the relay's ({@link ProcessStats#jitCpuMillis}); {@code -Dbench.relayJvm} adds more
     * (e.g. {@code -XX:+PreserveFramePointer} for {@code perf}'s call stacks).
     */
    static List<String> relayJvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx1g", gc(), "-XX:-UseDynamicNumberOfCompilerThreads"));
        String more = System.getProperty("bench.relayJvm", "");
        if (!more.isBlank()) {
            options.addAll(List.of(more.trim().split("\\s+")));
        }
        return options;
    }

    static String relayJvm() {
        return String.join(" ", relayJvmOptions());
    }

    final BenchUpstream upstream;
    final LoadClient load;
    final JettyNode relay;
    final JettyNode relayPg;
    final JettyNode relayNoPersist;
    final JettyNode gateway;
    /** The relay-pg node's database, for counting what an answer writes (rows, bytes). */
    final String pgUrl;
    final Nginx nginx;
    final Target direct;
    final Target relayTarget;
    final Target pgTarget;
    final Target noPersistTarget;
    final Target gatewayTarget;
    final Target nginxTarget;
    final String proxyCores;
    final boolean jfr;

    private Rig(BenchUpstream upstream, LoadClient load, JettyNode relay, JettyNode relayPg, String pgUrl, JettyNode relayNoPersist,
                JettyNode gateway, Nginx nginx, String masterKey, String proxyCores, boolean jfr) throws Exception {
        this.upstream = upstream;
        this.load = load;
        this.relay = relay;
        this.relayPg = relayPg;
        this.pgUrl = pgUrl;
        this.relayNoPersist = relayNoPersist;
        this.gateway = gateway;
        this.nginx = nginx;
        this.proxyCores = proxyCores;
        this.jfr = jfr;
        URI upstreamBase = upstream.baseUrl().resolve("/");
        direct = Target.openAi("direct", upstreamBase, 0);
        nginxTarget = Target.openAi("nginx", nginx.base(), nginx.pid());
        relayTarget = relayTarget("relay", relay);
        pgTarget = relayTarget("relay-pg", relayPg);
        noPersistTarget = relayTarget("relay-nopersist", relayNoPersist);
        gatewayTarget = Target.gateway("gateway", gateway.base(), load.gatewayKey(gateway.base(), masterKey), gateway.process().pid());
    }

    static Rig start(String proxyCores, boolean jfr) throws Exception {
        BenchUpstream upstream = new BenchUpstream();
        LoadClient load = new LoadClient();
        List<String> taskset = List.of("taskset", "-c", proxyCores);
        // Made up per run and given only to the gateway's node, whose target needs a key from its admin API.
        String masterKey = "bench-" + UUID.randomUUID();
        String pgUrl = TestDb.postgresUrl("bench");
        // The relays start together: each takes some seconds, and they run on the same core anyway.
        CompletableFuture<JettyNode> on = CompletableFuture.supplyAsync(() -> node("relay", upstream, Map.of(), taskset, jfr));
        CompletableFuture<JettyNode> gw = CompletableFuture.supplyAsync(() -> node("gateway", upstream,
                Map.of("CHATRELAY_GATEWAY_MASTER_KEY", masterKey), taskset, jfr));
        CompletableFuture<JettyNode> pg = CompletableFuture.supplyAsync(() -> node("relay-pg", upstream,
                Map.of("CHATRELAY_DB_URL", pgUrl, "CHATRELAY_DB_USER", "postgres", "CHATRELAY_DB_PASSWORD", "postgres"), taskset, jfr));
        CompletableFuture<JettyNode> off = CompletableFuture.supplyAsync(() -> node("relay-nopersist", upstream,
                Map.of("CHATRELAY_PERSISTENCE", "off"), taskset, jfr));
        // One worker, like the one core it gets; everything else as shipped (no upstream keepalive, access log on).
        Nginx nginx = Nginx.start(List.of(upstream.baseUrl().resolve("/")), Map.of(), Map.of("worker_processes", "1"), taskset);
        return new Rig(upstream, load, on.join(), pg.join(), pgUrl, off.join(), gw.join(), nginx, masterKey, proxyCores, jfr);
    }

    private static JettyNode node(String name, BenchUpstream upstream, Map<String, String> extra, List<String> taskset, boolean jfr) {
        Map<String, String> env = new HashMap<>(Map.of(
                "CHATRELAY_UPSTREAM_URL", upstream.baseUrl().toString(),
                "CHATRELAY_MODEL", "bench-model",
                "CHATRELAY_NODE_ID", name,
                // The run ends by stopping the nodes: no need to wait for streams a scenario left open.
                "CHATRELAY_SHUTDOWN_GRACE_MS", "0",
                // One visitor opens every stream: the per-visitor and per-address limits and the daily token budget
                // (which would refuse it within a minute) are off, as 0 means; everything else runs as configured.
                "CHATRELAY_RATE_LIMIT_PER_MINUTE", "0",
                "CHATRELAY_RATE_LIMIT_PER_ADDRESS_PER_MINUTE", "0",
                "CHATRELAY_MAX_STREAMS_PER_VISITOR", "0",
                "CHATRELAY_DAILY_TOKEN_BUDGET", "0"));
        env.putAll(extra);
        try {
            JettyNode node = JettyNode.create(name, env);
            String war = System.getProperty("bench.war." + name, "");
            if (!war.isBlank()) {
                // Another build in this node's place (e.g. main's, for a before/after comparison in one run).
                Files.copy(Path.of(war), node.base.resolve("webapps/chatrelay.war"), StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> jvm = new ArrayList<>(relayJvmOptions());
            jvm.add("-Xlog:gc:file=" + node.base.resolve("gc.log"));
            node.launch(taskset, jvm);
            return node;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    private Target relayTarget(String name, JettyNode node) throws Exception {
        Map.Entry<String, String> visitor = load.visitor(node.base());
        return Target.relay(name, node.base(), visitor.getKey(), visitor.getValue(), node.process().pid());
    }

    /** Every target, or those named in {@code bench.targets} (comma-separated, for profiling one of them). */
    List<Target> targets() {
        List<Target> all = List.of(direct, relayTarget, pgTarget, noPersistTarget, gatewayTarget, nginxTarget);
        String only = System.getProperty("bench.targets", "");
        return only.isBlank() ? all : all.stream().filter(t -> List.of(only.split(",")).contains(t.name())).toList();
    }

    /** With -Dbench.jfr=true: a flight recording of each relay (profile settings) from now on, so warm-up stays out of it. */
    void startRecordings() {
        if (jfr) {
            relays().forEach(n -> ProcessStats.jcmd(n.process().pid(), "JFR.start", "name=bench", "settings=profile"));
        }
    }

    /** Saves the recordings started by {@link #startRecordings()} into {@code into}. */
    void dumpRecordings(Path into) {
        if (!jfr) {
            return;
        }
        for (JettyNode n : relays()) {
            if (n.process().isAlive()) {
                ProcessStats.jcmd(n.process().pid(), "JFR.dump", "name=bench", "filename=" + into.resolve(n.name + ".jfr").toAbsolutePath());
            }
        }
    }

    List<JettyNode> relays() {
        return List.of(relay, relayPg, relayNoPersist, gateway);
    }

    @Override
    public void close() throws Exception {
        // kill -9: the scenarios may leave thousands of idle streams open, and the nodes' databases are thrown away.
        for (JettyNode n : relays()) {
            n.kill();
        }
        nginx.close();
        load.close();
        upstream.close();
    }
}
