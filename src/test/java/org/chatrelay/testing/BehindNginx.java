package org.chatrelay.testing;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Standalone nodes ({@link JettyNode}) behind Debian's nginx with the shipped jetty-config/nginx ({@link Nginx}), as
 * docs/deployment.md runs them: what the deployment tests start in their {@code @BeforeAll} and close in their
 * {@code @AfterAll}. Node {@code i} (from 1) of {@code name} is named and identified ({@code CHATRELAY_NODE_ID})
 * {@code name-i}; several nodes start side by side, then nginx in front of them, round robin.
 */
public final class BehindNginx implements AutoCloseable {
    public final List<JettyNode> nodes;
    public final Nginx nginx;

    private BehindNginx(List<JettyNode> nodes, Nginx nginx) {
        this.nodes = List.copyOf(nodes);
        this.nginx = nginx;
    }

    /** One node with this environment; {@code directives} override single directives of chatrelay.conf. */
    public static BehindNginx start(String name, Map<String, String> env, Map<String, String> directives) throws Exception {
        return start(name, List.of(env), directives);
    }

    /** A node per environment (each its own process), started at once; if any fails, those started are stopped. */
    public static BehindNginx start(String name, List<Map<String, String>> envs, Map<String, String> directives) throws Exception {
        List<CompletableFuture<JettyNode>> starting = new ArrayList<>();
        for (int i = 0; i < envs.size(); i++) {
            Map<String, String> env = new HashMap<>(envs.get(i));
            String id = name + "-" + (i + 1);
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
                throw new AssertionError("not every node of " + name + " started", failed);
            }
            nginx = Nginx.start(nodes.stream().map(JettyNode::base).toList(), directives);
            return new BehindNginx(nodes, nginx);
        } catch (Exception | Error e) {
            new BehindNginx(nodes, nginx).close();
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

    /** nginx first, so no request reaches a stopping node; then every node (SIGTERM, its drain). */
    @Override
    public void close() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        for (JettyNode n : nodes) {
            n.close();
        }
    }
}
