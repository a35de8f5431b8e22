package io.chipwatch.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.fault.FaultType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code fault}: live faults on a running collector, through its control endpoint ({@code /faults}, see
 * {@code ControlServer}). Subcommands: {@code inject TYPE --target ENTITY [--duration D]}, {@code list [--json]},
 * {@code clear}.
 *
 * <p>The collector's URL comes from {@code --collector-url}, else from the supplier the embedding command gives
 * ({@link #FaultCommand(Supplier)}, e.g. the local stack's state), else {@link #DEFAULT_URL}. Exit codes: 0 done,
 * 1 the collector refused (its reason on standard error) or is not reachable, 2 usage error. Every request carries
 * the collector's bearer token, read from {@code --token-file} (default: where the collector generates it).
 */
@Command(name = "fault", mixinStandardHelpOptions = true,
        description = "Inject, list and clear faults on the running collector.",
        subcommands = {FaultCommand.Inject.class, FaultCommand.ListFaults.class, FaultCommand.Clear.class})
public final class FaultCommand implements Callable<Integer> {
    /** Where a collector started with default options listens. */
    public static final String DEFAULT_URL = "http://127.0.0.1:9400";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--collector-url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The collector's control endpoint (default: from the running stack, else " + DEFAULT_URL + ").")
    String collectorUrl;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The collector's bearer token, as it wrote it on its first start (default: "
                    + "$XDG_CONFIG_HOME/chipwatch/collector-token, else ~/.config/chipwatch/collector-token).")
    Path tokenFile;

    private final Supplier<String> defaultUrl;
    private HttpClient client;

    /** Uses {@code --collector-url} or {@link #DEFAULT_URL}. */
    public FaultCommand() {
        this(() -> null);
    }

    /** Uses {@code --collector-url}, else what {@code defaultUrl} supplies (may supply null), else {@link #DEFAULT_URL}. */
    public FaultCommand(Supplier<String> defaultUrl) {
        this.defaultUrl = defaultUrl;
    }

    /** Sets the URL as {@code --collector-url} would (an embedding command may call this before execution). */
    public void setCollectorUrl(String url) {
        this.collectorUrl = url;
    }

    /** The URL the subcommands will use. */
    public String collectorUrl() {
        if (collectorUrl != null && !collectorUrl.isBlank()) {
            return strip(collectorUrl);
        }
        String supplied = defaultUrl.get();
        return supplied != null && !supplied.isBlank() ? strip(supplied) : DEFAULT_URL;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    private HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        return client;
    }

    /** The token file the subcommands read. */
    public Path tokenFile() {
        return tokenFile != null ? tokenFile : SecretFile.defaultPath(SecretFile.COLLECTOR_TOKEN);
    }

    /** The status and JSON body of a request to the collector; null after printing why it is unreachable. */
    private Response request(String method, String body, PrintWriter err) {
        String url = collectorUrl() + "/faults";
        String token;
        try {
            token = SecretFile.read(tokenFile());
        } catch (IllegalStateException e) {
            err.println("fault: " + e.getMessage() + "; is the collector up? (or pass --token-file)");
            return null;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        b = switch (method) {
            case "POST" -> b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            case "DELETE" -> b.DELETE();
            default -> b.GET();
        };
        try {
            HttpResponse<String> r = client().send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json;
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                err.println("fault: " + url + " answered " + r.statusCode() + " with something that is not JSON");
                return null;
            }
            return new Response(r.statusCode(), json);
        } catch (ConnectException e) {
            err.println("fault: no collector at " + collectorUrl() + " (is the stack up? see ./telemetry status)");
            return null;
        } catch (IOException e) {
            err.println("fault: " + url + ": " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private record Response(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String error() {
            JsonNode e = body.get("error");
            return e == null ? body.toString() : e.asText();
        }
    }

    private static String describe(JsonNode f) {
        StringBuilder b = new StringBuilder();
        b.append(text(f, "id")).append("  ").append(text(f, "type")).append(" on ").append(text(f, "target"))
                .append("  ").append(text(f, "state"));
        JsonNode onset = f.get("onsetMillis");
        if (onset != null && !onset.isNull()) {
            b.append("  from ").append(Instant.ofEpochMilli(onset.asLong()));
        }
        JsonNode end = f.get("endMillis");
        if (end != null && !end.isNull()) {
            b.append(" until ").append(Instant.ofEpochMilli(end.asLong()));
        } else if (onset != null && !onset.isNull()) {
            b.append(" until cleared");
        }
        String detail = text(f, "detail");
        if (!detail.isEmpty()) {
            b.append("  (").append(detail).append(')');
        }
        return b.toString();
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** What the subcommands share: the parent's connection, and the refusal message on a non-2xx answer. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        FaultCommand parent;

        @Spec
        CommandSpec spec;

        /**
         * The collector's answer when it accepted the request; null after printing why not (unreachable, or
         * {@code refusal} formatted with the status and the collector's reason).
         */
        Response accepted(String method, String body, String refusal) {
            PrintWriter err = spec.commandLine().getErr();
            Response r = parent.request(method, body, err);
            if (r != null && !r.ok()) {
                err.println(String.format(Locale.ROOT, refusal, r.status(), r.error()));
                return null;
            }
            return r;
        }
    }

    /** {@code fault inject TYPE --target ENTITY [--duration D]}. */
    @Command(name = "inject", mixinStandardHelpOptions = true,
            description = "Inject a fault now. TYPE: overheat, rack_cooling, power_throttle, link_degraded, "
                    + "link_flap, straggler, chip_down, node_down, stuck_sensor, sensor_glitch.")
    static final class Inject extends Subcommand {
        @Parameters(index = "0", paramLabel = "TYPE", description = "The fault type.")
        String type;

        @Option(names = "--target", required = true, paramLabel = "ENTITY",
                description = "Chip, node, rack or link id (as the type needs), or a selector such as random-chip, "
                        + "random-training-chip, random-rack, random-intra-link.")
        String target;

        @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "D",
                description = "How long it lasts: 30s, 2m, 1h (default: until `fault clear`).")
        Duration duration;

        @Option(names = "--json", description = "Print the collector's answer as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                FaultType.fromLabel(type);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("type", type.toLowerCase(Locale.ROOT));
            body.put("target", target);
            if (duration != null) {
                if (duration.isZero() || duration.isNegative()) {
                    throw new ParameterException(spec.commandLine(), "--duration must be positive");
                }
                body.put("duration", duration.toMillis() + "ms");
            }
            Response r = accepted("POST", body.toString(), "fault inject: refused (%d): %s");
            if (r == null) {
                return 1;
            }
            out.println(json ? r.body().toString() : (r.status() == 202 ? "accepted: " + text(r.body(), "detail")
                    : "injected " + describe(r.body())));
            return 0;
        }
    }

    /** {@code fault list [--json]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List active, pending and past faults.")
    static final class ListFaults extends Subcommand {
        @Option(names = "--json", description = "Print the collector's answer as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Response r = accepted("GET", null, "fault list: %d: %s");
            if (r == null) {
                return 1;
            }
            if (json) {
                out.println(r.body().toString());
                return 0;
            }
            JsonNode faults = r.body().get("faults");
            if (faults == null || faults.isEmpty()) {
                out.println("no faults");
                return 0;
            }
            faults.forEach(f -> out.println(describe(f)));
            return 0;
        }
    }

    /** {@code fault clear}. */
    @Command(name = "clear", mixinStandardHelpOptions = true, description = "End every active fault now and drop pending ones.")
    static final class Clear extends Subcommand {
        @Override
        public Integer call() {
            Response r = accepted("DELETE", null, "fault clear: %d: %s");
            if (r == null) {
                return 1;
            }
            JsonNode cleared = r.body().get("cleared");
            spec.commandLine().getOut().println(cleared == null ? "clearing at the next tick"
                    : "cleared " + cleared.size() + " fault(s)");
            return 0;
        }
    }
}
