package org.chatrelay.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Standalone nodes ({@link JettyNode}) behind Debian's nginx with the shipped jetty-config/nginx ({@link Nginx}), as
 * docs/deployment.md runs them: what the deployment tests start in their {@code @BeforeAll} and close in their
 * {@code @AfterAll}, with the fake upstreams the nodes call (closed after the nodes, also when the start fails). Node
 * {@code i} (from 1) of {@code name} is named and identified ({@code CHATRELAY_NODE_ID}) {@code name-i}, unless the
 * test names its nodes; several nodes start side by side, then nginx in front of them, round robin.
 * {@link #onPostgres} puts the nodes on one new database of the embedded PostgreSQL, which the test reads through
 * {@link #rows}.
 */
public final class BehindNginx implements AutoCloseable {
    public final List<JettyNode> nodes;
    public final Nginx nginx;
    /** The nodes' database, when {@link #onPostgres} made it; null otherwise. */
    public final Rows rows;
    private final List<AutoCloseable> upstreams;

    private BehindNginx(List<JettyNode> nodes, Nginx nginx, Rows rows, List<AutoCloseable> upstreams) {
        this.nodes = List.copyOf(nodes);
        this.nginx = nginx;
        this.rows = rows;
        this.upstreams = upstreams;
    }

    /** One node with this environment; {@code directives} override single directives of chatrelay.conf. */
    public static BehindNginx start(String name, Map<String, String> env, Map<String, String> directives,
            AutoCloseable... upstreams) throws Exception {
        return start(name, List.of(env), directives, upstreams);
    }

    /** A node per environment (each its own process), started at once; if any fails, those started are stopped. */
    public static BehindNginx start(String name, List<Map<String, String>> envs, Map<String, String> directives,
            AutoCloseable... upstreams) throws Exception {
        List<String> ids = IntStream.rangeClosed(1, envs.size()).mapToObj(i -> name + "-" + i).toList();
        return start(ids, envs, directives, null, List.of(upstreams));
    }

    /**
     * A node per id, named and identified so, all with {@code env} on one new database {@code database} of the
     * embedded PostgreSQL (their {@code CHATRELAY_DB_URL}), behind nginx as shipped.
     */
    public static BehindNginx onPostgres(String database, List<String> ids, Map<String, String> env,
            AutoCloseable... upstreams) throws Exception {
        String db;
        try {
            db = TestDb.postgresUrl(database);
        } catch (RuntimeException e) {
            new BehindNginx(List.of(), null, null, List.of(upstreams)).close();
            throw e;
        }
        Map<String, String> withDb = new HashMap<>(env);
        withDb.put("CHATRELAY_DB_URL", db);
        return start(ids, ids.stream().map(id -> withDb).toList(), Map.of(), new Rows(db), List.of(upstreams));
    }

    private static BehindNginx start(List<String> ids, List<Map<String, String>> envs, Map<String, String> directives,
            Rows rows, List<AutoCloseable> upstreams) throws Exception {
        List<CompletableFuture<JettyNode>> starting = new ArrayList<>();
        for (int i = 0; i < envs.size(); i++) {
            Map<String, String> env = new HashMap<>(envs.get(i));
            String id = ids.get(i);
            env.put("CHATRELAY_NODE_ID", id);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return JettyNode.start(id, env);
                } catch (Exception e) {
                    throw new IllegalStateException("node " + id + " did not start", e);
                }
            }));
        }
        List<JettyNode> nodes = new ArrayList<>();
        Throwable failed = null;
        for (CompletableFuture<JettyNode> s : starting) {
            try {
                nodes.add(s.join());
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        Nginx nginx = null;
        try {
            if (failed != null) {
                throw new AssertionError("not every node of " + ids + " started", failed);
            }
            nginx = Nginx.start(nodes.stream().map(JettyNode::base).toList(), directives);
            return new BehindNginx(nodes, nginx, rows, upstreams);
        } catch (Exception | Error e) {
            new BehindNginx(nodes, nginx, rows, upstreams).close();
            throw e;
        }
    }

    /** The first node, straight (not through nginx). */
    public JettyNode node() {
        return nodes.get(0);
    }

    /** nginx's address: where a browser or an SDK connects. */
    public URI base() {
        return nginx.base();
    }

    /** nginx first, so no request reaches a stopping node; then every node (SIGTERM, its drain); then the upstreams. */
    @Override
    public void close() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        for (JettyNode n : nodes) {
            n.close();
        }
        for (AutoCloseable u : upstreams) {
            u.close();
        }
    }
}
