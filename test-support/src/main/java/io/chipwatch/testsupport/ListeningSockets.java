package io.chipwatch.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The TCP sockets listening on this machine, read from the kernel's tables ({@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}, Linux only), so that a test can check what address a server really bound.
 */
public final class ListeningSockets {
    private static final String IPV4_MAPPED_LOOPBACK = "0000000000000000FFFF00000100007F";
    private static final String IPV6_LOOPBACK = "00000000000000000000000001000000";

    private ListeningSockets() {
    }

    /** One listening socket: its local address ({@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, ...) and port. */
    public record Socket(String address, int port) {
        /** Reachable only from this machine. */
        public boolean loopback() {
            return address.startsWith("127.") || "::1".equals(address);
        }
    }

    /** Every listening TCP socket. */
    public static List<Socket> all() throws IOException {
        List<Socket> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if ("0A".equals(f[3])) { // TCP_LISTEN
                    out.add(new Socket(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }

    /** The sockets listening on {@code port}. */
    public static List<Socket> onPort(int port) throws IOException {
        return all().stream().filter(s -> s.port() == port).toList();
    }

    /** {@code 0100007F} → {@code 127.0.0.1}; IPv6 as 32 hex digits, but loopback and any as {@code ::1}, {@code ::}. */
    static String address(String hex) {
        String h = hex.toUpperCase(Locale.ROOT);
        if (h.length() == 8) {
            return Integer.parseInt(h.substring(6, 8), 16) + "." + Integer.parseInt(h.substring(4, 6), 16) + "."
                    + Integer.parseInt(h.substring(2, 4), 16) + "." + Integer.parseInt(h.substring(0, 2), 16);
        }
        if (IPV4_MAPPED_LOOPBACK.equals(h)) {
            return "127.0.0.1";
        }
        if (IPV6_LOOPBACK.equals(h)) {
            return "::1";
        }
        return h.chars().allMatch(c -> c == '0') ? "::" : h;
    }
}
