package org.chatrelay.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A local port where connecting never completes: a listening socket with a backlog of 1 that never accepts, whose
 * queue is filled first, so Linux drops every further SYN and the client's connect hangs until it times out.
 */
public final class Blackhole implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    public Blackhole() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 4; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
                fillers.add(s);
            } catch (IOException full) {
                s.close();
                return;
            }
        }
        throw new IllegalStateException("the accept queue never filled up: this test needs Linux's listen backlog behaviour");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
