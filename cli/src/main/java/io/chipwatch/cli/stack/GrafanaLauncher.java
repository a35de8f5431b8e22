package io.chipwatch.cli.stack;

import io.chipwatch.infra.secret.SecretFile;
import io.chipwatch.model.influx.InfluxCredentials;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * How the local stack runs Grafana, when this machine can: a Grafana binary ({@code grafana server} or the older
 * {@code grafana-server}) as a process of the stack, else a Docker engine running the image docker-compose.yml
 * pins. Either way Grafana gets the provisioning of {@code dashboards/} (the InfluxDB datasource and the six
 * dashboards), listens on loopback only, and has no default password: the admin password comes from
 * {@code CHIPWATCH_GRAFANA_ADMIN_PASSWORD} or is generated into a file outside the checkout.
 */
public final class GrafanaLauncher {
    /** The image docker-compose.yml runs; a test keeps the two equal. */
    public static final String IMAGE = "grafana/grafana:12.2.1";
    static final String PASSWORD_ENV = "CHIPWATCH_GRAFANA_ADMIN_PASSWORD";

    /** What was found: a binary (with Grafana's home folder) or a Docker engine. */
    public sealed interface Runtime permits Binary, Docker {
    }

    /**
     * A Grafana binary.
     *
     * @param executable   {@code grafana} (takes a {@code server} sub-command) or {@code grafana-server}
     * @param homePath     Grafana's home (its {@code conf/defaults.ini} and {@code public/})
     */
    public record Binary(Path executable, Path homePath) implements Runtime {
    }

    /** A Docker engine answering {@code docker info}. */
    public record Docker() implements Runtime {
    }

    private GrafanaLauncher() {
    }

    /** Grafana's runtime on this machine, if any: a binary on {@code PATH} first, then a Docker engine. */
    public static Optional<Runtime> find() {
        Optional<Runtime> binary = findBinary(System.getenv("PATH"), Files::isExecutable, Files::isDirectory);
        return binary.isPresent() ? binary : dockerEngineAnswers() ? Optional.of(new Docker()) : Optional.empty();
    }

    /** The first Grafana binary on {@code path} (then in Debian's and Grafana's package folders) with a home. */
    static Optional<Runtime> findBinary(String path, Predicate<Path> executable, Predicate<Path> directory) {
        List<Path> dirs = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        dirs.add(Path.of("/usr/share/grafana/bin"));
        dirs.add(Path.of("/usr/sbin"));
        for (String name : List.of("grafana", "grafana-server")) {
            for (Path dir : dirs) {
                Path candidate = dir.resolve(name);
                if (!executable.test(candidate)) {
                    continue;
                }
                // Packages put the binary in bin/ under the home, or link it from /usr/sbin to /usr/share/grafana.
                Path home = candidate.getParent().getParent();
                if (!directory.test(home.resolve("conf"))) {
                    home = Path.of("/usr/share/grafana");
                }
                if (directory.test(home.resolve("conf"))) {
                    return Optional.of(new Binary(candidate, home));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean dockerEngineAnswers() {
        try {
            Process p = new ProcessBuilder("docker", "info", "--format", "{{.ServerVersion}}")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Grafana's settings for the local stack, as environment variables (Grafana reads {@code GF_<SECTION>_<KEY>};
     * the provisioning files read the {@code CHIPWATCH_*} ones).
     *
     * @param port          HTTP port on 127.0.0.1
     * @param influxUrl     InfluxDB as Grafana reaches it
     * @param database      the storage contract's database
     * @param dashboardsDir the dashboard JSON folder as Grafana sees it
     * @param adminPassword the admin password (never a default)
     * @param reader        the InfluxDB user the datasource reads as (the stack's read-only one), if any
     */
    static Map<String, String> environment(int port, String influxUrl, String database, String dashboardsDir,
                                           String adminPassword, Optional<InfluxCredentials> reader) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GF_SERVER_HTTP_ADDR", "127.0.0.1");
        env.put("GF_SERVER_HTTP_PORT", String.valueOf(port));
        env.put("GF_SECURITY_ADMIN_PASSWORD", adminPassword);
        env.put("GF_USERS_ALLOW_SIGN_UP", "false");
        // Loopback only: SREs on this machine read the dashboards without signing in; changing them needs admin.
        env.put("GF_AUTH_ANONYMOUS_ENABLED", "true");
        env.put("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
        env.put("GF_ANALYTICS_REPORTING_ENABLED", "false");
        env.put("GF_ANALYTICS_CHECK_FOR_UPDATES", "false");
        env.put("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH", dashboardsDir + "/overview.json");
        env.put("CHIPWATCH_INFLUX_URL", influxUrl);
        env.put("CHIPWATCH_INFLUX_DB", database);
        env.put(InfluxCredentials.ENV_USER, reader.map(InfluxCredentials::user).orElse(""));
        env.put(InfluxCredentials.ENV_PASSWORD, reader.map(InfluxCredentials::password).orElse(""));
        env.put("CHIPWATCH_DASHBOARDS_DIR", dashboardsDir);
        return env;
    }

    /**
     * The command line of a Grafana binary: its data, logs and plugins under {@code dataDir} (so the command line
     * names the stack's var folder, which is how {@code down} recognises it), provisioning from the checkout.
     */
    static List<String> binaryCommand(Binary binary, Path dataDir, Path provisioning) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.executable().toString());
        if (binary.executable().getFileName().toString().equals("grafana")) {
            cmd.add("server");
        }
        cmd.add("--homepath");
        cmd.add(binary.homePath().toString());
        cmd.add("--pidfile");
        cmd.add(dataDir.resolve("grafana.pid").toString());
        cmd.add("cfg:default.paths.data=" + dataDir.resolve("data"));
        cmd.add("cfg:default.paths.logs=" + dataDir.resolve("logs"));
        cmd.add("cfg:default.paths.plugins=" + dataDir.resolve("plugins"));
        cmd.add("cfg:default.paths.provisioning=" + provisioning);
        return cmd;
    }

    /**
     * The {@code docker run} command of the container, on the host network so it reaches InfluxDB on loopback. Its
     * environment (the admin and InfluxDB passwords among it) comes from {@code envFile} ({@link #writeEnvFile}),
     * never from {@code -e} arguments, which any local user's {@code ps} shows.
     */
    static List<String> dockerCommand(String containerName, Path envFile, Path provisioning, Path dashboards) {
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "-d", "--rm", "--name", containerName,
                "--network", "host", "--env-file", envFile.toString()));
        cmd.add("-v");
        cmd.add(provisioning + ":/etc/grafana/provisioning:ro");
        cmd.add("-v");
        cmd.add(dashboards + ":/var/lib/grafana/dashboards:ro");
        cmd.add(IMAGE);
        return cmd;
    }

    /**
     * Writes {@code env} as a {@code docker run --env-file} ({@code KEY=VALUE} lines) into {@code file}, created
     * with mode 600 before anything is written (a file left from before is replaced).
     */
    static Path writeEnvFile(Path file, Map<String, String> env) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder lines = new StringBuilder();
        env.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The admin password: {@code CHIPWATCH_GRAFANA_ADMIN_PASSWORD} when set, else the one generated on first start
     * into {@code file} ({@link SecretFile}: owner-only from its creation), outside the checkout so it never reaches
     * git.
     */
    static String adminPassword(Map<String, String> env, Path file) throws IOException {
        String fromEnv = env.get(PASSWORD_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        // Created 0600 from the start (never readable by others, not even for a moment), as every generated secret.
        return SecretFile.loadOrCreate(file);
    }
}
