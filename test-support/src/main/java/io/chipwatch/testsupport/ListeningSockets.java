package io.chipwatch.testsupport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TCP sockets listening on this machine, read from the kernel's tables ({@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}, Linux only), so that a test can check what address a server really bound.
 */
public final class ListeningSockets {
    private static final String IPV4_MAPPED_LOOPBACK = "0000000000000000FFFF00000100007F";
    private static final String IPV6_LOOPBACK = "00000000000000000000000001000000";

    private ListeningSockets() {
    }

    /**
     * One listening socket: its local address ({@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, ...), port and the
     * kernel's inode number of the socket (what {@code /proc/PID/fd} links to).
     */
    public record Socket(String address, int port, long inode) {
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
                    out.add(new Socket(address(local[0]), Integer.parseInt(local[1], 16), Long.parseLong(f[9])));
                }
            }
        }
        return out;
    }

    /** The sockets listening on {@code port}. */
    public static List<Socket> onPort(int port) throws IOException {
        return all().stream().filter(s -> s.port() == port).toList();
    }

    /** The sockets {@code pid} or any of its descendants listens on (those this user may inspect). */
    public static List<Socket> ofProcess(long pid) throws IOException {
        Set<Long> inodes = new HashSet<>();
        List<Long> pids = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        for (long p : pids) {
            Path fds = Path.of("/proc", Long.toString(p), "fd");
            try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
                for (Path link : links) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(link).toString();
                    } catch (IOException e) {
                        continue; // closed meanwhile
                    }
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                }
            } catch (NoSuchFileException e) {
                // the process ended
            }
        }
        return all().stream().filter(s -> inodes.contains(s.inode())).toList();
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
