package io.chipwatch.collector.control;

import io.chipwatch.infra.secret.SecretFile;

import java.nio.file.Path;
import java.util.List;

/**
 * Who may use the collector's control API ({@code /faults}): the bearer token every {@code /faults} call must carry,
 * where clients find it (named in a 401, the token never is), and the {@code Host} names the server answers to
 * besides loopback and its bound address (e.g. a compose service name).
 *
 * @param token       the bearer token
 * @param tokenSource where a client finds the token, e.g. the token file's path
 * @param hostNames   more {@code Host} names to accept
 */
public record ControlAccess(String token, String tokenSource, List<String> hostNames) {
    public ControlAccess {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the control API needs a token");
        }
        hostNames = List.copyOf(hostNames);
    }

    /** The token from {@code tokenFile}, generated there (mode 600) on the first start. */
    public static ControlAccess fromFile(Path tokenFile, List<String> hostNames) {
        return new ControlAccess(SecretFile.loadOrCreate(tokenFile), tokenFile.toString(), hostNames);
    }

    @Override
    public String toString() {
        return "ControlAccess[token=<redacted>, tokenSource=" + tokenSource + ", hostNames=" + hostNames + "]";
    }
}
