package io.chipwatch.cli.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Chooses loopback ports for the stack: the component's usual port when it is free, else any free one. */
final class Ports {
    private Ports() {
    }

    static int preferred(Integer remembered, int usual) {
        if (remembered != null && isFree(remembered)) {
            return remembered;
        }
        if (isFree(usual)) {
            return usual;
        }
        return any();
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int any() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no free loopback port", e);
        }
    }
}
