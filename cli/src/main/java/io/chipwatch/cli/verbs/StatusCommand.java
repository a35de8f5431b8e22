package io.chipwatch.cli.verbs;

import io.chipwatch.cli.output.OutputFormat;
import io.chipwatch.cli.output.OutputOption;
import io.chipwatch.cli.output.Report;
import io.chipwatch.cli.output.Report.Table;
import io.chipwatch.cli.stack.ClusterStatus;
import io.chipwatch.cli.stack.InfluxQueries;
import io.chipwatch.cli.stack.JobHealth;
import io.chipwatch.cli.stack.JobHealthCheck;
import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.ServiceHealth;
import io.chipwatch.cli.stack.StackState;
import io.chipwatch.cli.stack.supervise.ComponentStatus;
import io.chipwatch.cli.stack.supervise.SupervisorProcess;
import io.chipwatch.cli.stack.supervise.SupervisorState;
import io.chipwatch.infra.LocalAlertmanager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code status [-o table|json|csv]}: health of each component. A component is {@code up} when its process lives and its
 * endpoint answers (InfluxDB ping, Kafka cluster metadata, a RUNNING Flink job, alerting's and the collector's
 * {@code /healthz} 200); a running job that makes no progress is {@code degraded} ({@link JobHealth}: its last
 * checkpoint, its lag, the newest chip point), which exits 1 as down does. Each job's liveness and the services'
 * {@code /healthz} details ({@link ServiceHealth}) are under {@code health} in the JSON and on their lines in the table.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Health of each component of the local stack.")
public final class StatusCommand extends StackCommand {

    @Mixin
    OutputOption output;

    @Override
    void checkOptions() {
        output.format();
    }

    @Override
    int run(LocalStack stack) throws Exception {
        return print(stack, output.format(), new PrintWriter(System.out, false, StandardCharsets.UTF_8));
    }

    /** Prints the status of {@code stack} as {@code format} to {@code out}; returns the exit code (1: not healthy). */
    public static int print(LocalStack stack, OutputFormat format, PrintWriter out) throws Exception {
        StackState state = stack.state();
        Map<String, String> components = new LinkedHashMap<>();
        String influxUrl = LocalStack.url(state, LocalStack.INFLUXDB);
        String kafka = LocalStack.url(state, LocalStack.KAFKA);
        String flinkUrl = LocalStack.url(state, LocalStack.FLINK);

        Integer chipsReporting = null;
        Double newestPointAgeS = null;
        boolean influxUp = false;
        if (stack.alive(state, LocalStack.INFLUXDB) && influxUrl != null) {
            try (InfluxQueries q = new InfluxQueries(influxUrl, LocalStack.DATABASE)) {
                chipsReporting = q.chipsReporting();
                influxUp = true;
                OptionalLong newest = q.newestChipPointMillis();
                newestPointAgeS = newest.isPresent()
                        ? Math.max(0, System.currentTimeMillis() - newest.getAsLong()) / 1000.0 : null;
            } catch (RuntimeException e) {
                // InfluxDB down (or the freshness query failed after it answered: no age shown).
                newestPointAgeS = null;
            }
        }
        components.put(LocalStack.INFLUXDB, upDown(influxUp));
        String detectionUrl = LocalStack.url(state, LocalStack.DETECTION);
        if (state.cluster != null) {
            // up --cluster: every broker, the JobManager, every TaskManager, then the jobs on it.
            Map<String, String> security = LocalStack.kafkaAdminSettings(state);
            ClusterStatus.brokers(stack, state, b -> kafkaAnswers(b, security))
                    .forEach((name, up) -> components.put(name, upDown(up)));
            ClusterStatus.flink(stack, state).forEach((name, up) -> components.put(name, upDown(up)));
        } else {
            components.put(LocalStack.KAFKA, upDown(stack.alive(state, LocalStack.KAFKA) && kafkaAnswers(kafka,
                    LocalStack.kafkaAdminSettings(state))));
            components.put(LocalStack.FLINK, upDown(stack.alive(state, LocalStack.FLINK) && flinkUrl != null
                    && stack.flinkJobRunning(flinkUrl)));
            components.put(LocalStack.DETECTION, upDown(stack.alive(state, LocalStack.DETECTION)
                    && detectionUrl != null && stack.flinkJobRunning(detectionUrl)));
        }
        Map<String, ServiceHealth.Noted> health = new LinkedHashMap<>(jobHealth(state, components, newestPointAgeS));
        components.put(LocalStack.ALERTMANAGER, upDown(stack.alive(state, LocalStack.ALERTMANAGER)
                && LocalAlertmanager.ready(LocalStack.url(state, LocalStack.ALERTMANAGER))));
        // Up when /healthz answers 200; its details (the anomaly consumer, the collector's ticks) under health.
        ServiceHealth.Alerting alerting = ServiceHealth.alerting(healthz(stack, state, LocalStack.ALERTING));
        components.put(LocalStack.ALERTING, alerting.state());
        health.put(LocalStack.ALERTING, alerting);
        ServiceHealth.Collector collector = ServiceHealth.collector(healthz(stack, state, LocalStack.COLLECTOR));
        components.put(LocalStack.COLLECTOR, collector.state());
        health.put(LocalStack.COLLECTOR, collector);

        Map<String, Object> status = new LinkedHashMap<>();
        status.put("kafkaBootstrap", kafka);
        status.put("influxUrl", influxUrl);
        status.put("influxDatabase", LocalStack.DATABASE);
        status.put("flinkUrl", flinkUrl);
        status.put("detectionFlinkUrl", detectionUrl);
        status.put("alertingUrl", LocalStack.url(state, LocalStack.ALERTING));
        status.put("alertmanagerUrl", LocalStack.url(state, LocalStack.ALERTMANAGER));
        status.put("grafanaUrl", stack.grafanaUrlIfUp(state));
        String collectorUrl = LocalStack.url(state, LocalStack.COLLECTOR);
        status.put("collectorMetricsUrl", collectorUrl == null ? null : collectorUrl + "/metrics");
        status.put("alertingTokenFile", LocalStack.url(state, LocalStack.ALERTING) == null ? null
                : LocalStack.alertingTokenFile().toString());
        status.put("collectorTokenFile", collectorUrl == null ? null : LocalStack.collectorTokenFile().toString());
        status.put("components", components);
        status.put("chipsReporting", chipsReporting);
        Map<String, Long> pids = new LinkedHashMap<>();
        List<String> names = LocalStack.componentNames(state.cluster);
        names.stream().filter(c -> stack.alive(state, c))
                .forEach(c -> pids.put(c, state.pids.get(c)));
        status.put("pids", pids);
        SupervisorState supervisor = SupervisorState.load(SupervisorState.file(stack.layout()));
        boolean supervised = SupervisorProcess.running(stack.layout()).isPresent();
        Map<String, Integer> restarts = new LinkedHashMap<>();
        names.forEach(c -> restarts.put(c, supervisor.restarts().getOrDefault(c, 0)));
        status.put("restarts", restarts);
        status.put("supervisor", supervised ? supervisor : null);
        status.put("health", health);

        report(stack, status, components, restarts, pids, supervisor, supervised, health).print(format, out);
        // Not healthy: a component down, or a job running without making progress.
        return components.containsValue("down") || components.containsValue(JobHealth.DEGRADED) ? 1 : 0;
    }

    /**
     * Both jobs' liveness beyond RUNNING ({@link JobHealthCheck}); a running job that makes no progress becomes
     * {@code degraded} in {@code components}.
     */
    private static Map<String, JobHealth> jobHealth(StackState state, Map<String, String> components,
                                                    Double newestPointAgeS) {
        Map<String, Boolean> running = new LinkedHashMap<>();
        for (String job : List.of(LocalStack.FLINK, LocalStack.DETECTION)) {
            running.put(job, "up".equals(components.get(job)));
        }
        boolean kafkaUp = components.entrySet().stream().anyMatch(e -> (e.getKey().equals(LocalStack.KAFKA)
                || e.getKey().startsWith(LocalStack.KAFKA + "-")) && "up".equals(e.getValue()));
        Map<String, JobHealth> health = JobHealthCheck.check(state, running, kafkaUp, newestPointAgeS);
        health.forEach((job, h) -> {
            if (JobHealth.DEGRADED.equals(h.state())) {
                components.put(job, JobHealth.DEGRADED);
            }
        });
        return health;
    }

    /**
     * The table (a line per component with what the supervisor says, then the addresses), csv (a row per component:
     * name, state, pid, restarts) and the JSON of CONTRACTS.md §4.
     */
    private static Report report(LocalStack stack, Map<String, Object> status, Map<String, String> components,
                                 Map<String, Integer> restarts, Map<String, Long> pids, SupervisorState supervisor,
                                 boolean supervised, Map<String, ServiceHealth.Noted> health) {
        Report.Builder out = Report.builder().json(status);
        List<List<String>> rows = new ArrayList<>();
        components.forEach((name, s) -> {
            String note = componentNote(supervisor.components().get(name), restarts.get(name), supervised);
            ServiceHealth.Noted h = health.get(name);
            if (h != null && !h.note().isEmpty()) {
                note = h.note() + (note.isEmpty() ? "" : "; " + note);
            }
            out.line(String.format("%-12s %-8s %s", name, s, note).stripTrailing());
            rows.add(Arrays.asList(name, s, pids.get(name) == null ? null : String.valueOf(pids.get(name)),
                    String.valueOf(restarts.getOrDefault(name, 0))));
        });
        out.csv(Table.text(List.of("component", "state", "pid", "restarts"), rows));
        out.line("%-12s %-8s %s", SupervisorProcess.NAME, supervised ? "up" : "down", supervised
                ? "pid " + supervisor.pid() + ", restarts what dies (log "
                + stack.layout().log(SupervisorProcess.NAME) + ")" : "nothing restarts what dies");
        Object chips = status.get("chipsReporting");
        out.line("").line("Kafka      %s", status.get("kafkaBootstrap"))
                .line("InfluxDB   %s (database %s)", status.get("influxUrl"), status.get("influxDatabase"))
                .line("Flink UI   %s (aggregation), %s (detection)", status.get("flinkUrl"),
                        status.get("detectionFlinkUrl"))
                .line("chips reporting (last 60 s): %s", chips == null ? "-" : chips);
        return out.build();
    }

    /** What the supervisor says of a component: restarts, and a restart in progress or given up. */
    private static String componentNote(ComponentStatus s, int restarts, boolean supervised) {
        String note = restarts == 0 ? "" : "restarts " + restarts;
        if (supervised && s != null && !ComponentStatus.UP.equals(s.state())) {
            note += (note.isEmpty() ? "" : ", ") + s.state() + (s.lastError() == null ? "" : ": " + s.lastError());
        }
        return note;
    }

    private static String upDown(boolean up) {
        return up ? "up" : "down";
    }

    /** The {@code /healthz} URL of a component whose process lives, else null. */
    private static String healthz(LocalStack stack, StackState state, String component) {
        String url = LocalStack.url(state, component);
        return stack.alive(state, component) && url != null ? url + "/healthz" : null;
    }

    private static boolean kafkaAnswers(String bootstrap, Map<String, String> security) {
        if (bootstrap == null) {
            return false;
        }
        Properties props = new Properties();
        props.putAll(security);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(props)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                    .get(4, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
