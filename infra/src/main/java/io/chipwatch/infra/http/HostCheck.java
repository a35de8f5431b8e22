package io.chipwatch.infra.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code before} handler against DNS rebinding: a browser that was made to resolve an attacker's name to
 * 127.0.0.1 still sends that name in {@code Host}, so a request whose {@code Host} is not one of this server's
 * names is refused with 421 (Misdirected Request) before any route runs. The names allowed: {@code localhost},
 * {@code 127.0.0.1}, {@code ::1}, the address the server is bound to (unless a wildcard) and the names configured
 * (e.g. a compose service name). A request without {@code Host} (HTTP/1.0: health checks, scripts; never a
 * browser) passes.
 */
public final class HostCheck implements Handler {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "");

    private final Set<String> allowed;

    /**
     * @param boundHost the address the server binds
     * @param extra     more names clients use for this server
     */
    public HostCheck(String boundHost, Collection<String> extra) {
        Set<String> names = new TreeSet<>(LOOPBACK);
        if (!WILDCARDS.contains(boundHost)) {
            names.add(normalise(boundHost));
        }
        extra.stream().map(HostCheck::normalise).filter(n -> !n.isEmpty()).forEach(names::add);
        this.allowed = Set.copyOf(names);
    }

    /** The host names let through. */
    public Set<String> allowed() {
        return allowed;
    }

    @Override
    public void handle(Context ctx) {
        String host = ctx.header("Host");
        if (host == null) {
            return;
        }
        if (!allowed.contains(hostName(host))) {
            throw HttpError.of(421, "Host \"" + abbreviate(host) + "\" is not served here; allowed: "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
    }

    /** The name in a {@code Host} header, without its port: {@code [::1]:9400} → {@code ::1}, lower case. */
    static String hostName(String header) {
        String h = header.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return normalise(end < 0 ? h : h.substring(1, end));
        }
        int colon = h.indexOf(':');
        return normalise(colon < 0 ? h : h.substring(0, colon));
    }

    private static String normalise(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.startsWith("[") && n.endsWith("]") ? n.substring(1, n.length() - 1) : n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
