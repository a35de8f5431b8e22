package io.chipwatch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback interface, for components that must listen somewhere other sessions on the same
 * machine are not already using. A port is free when asked; another process may take it before ours binds it, so
 * callers pick ports right before starting what listens on them.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * {@code port} if it is a TCP port number or 0 (meaning: pick a free one at start).
     *
     * @throws IllegalArgumentException otherwise
     */
    public static int requireValid(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        return port;
    }

    /** One free loopback port. */
    public static int pick() {
        return pick(1)[0];
    }

    /**
     * {@code count} distinct free loopback ports. All sockets stay open until every port is known, so the kernel
     * cannot hand out the same port twice.
     */
    public static int[] pick(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pick a free loopback port", e);
        } finally {
            sockets.forEach(FreePorts::closeQuietly);
        }
    }

    /** True when nothing listens on {@code port} of the loopback interface now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Same option the servers use, so a port in TIME_WAIT after a restart counts as free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to do: the port is released when the JVM closes the descriptor.
        }
    }
}
