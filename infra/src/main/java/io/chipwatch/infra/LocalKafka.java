package io.chipwatch.infra;

import io.chipwatch.infra.kafka.LocalKafkaSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka broker (KRaft, broker and controller roles in one JVM) running as its own process on
 * loopback ports: the local stack's broker ({@link Builder#detached detached}, data under {@code var/kafka}) and
 * the one tests talk to (attached, in a temporary folder).
 *
 * <p>{@link #start()} formats the storage the first time only, so {@link #stop()} and a later {@link #start()}
 * on the same folder keep the topics and records, on the same ports: that is how tests simulate an outage.
 * The broker's classpath is the one the {@code kafka-broker} module's build writes
 * ({@link ChipwatchHome#kafkaBrokerClasspathFile()}).
 *
 * <p>Layout of the data folder: {@code server.properties}, {@code log4j2.properties}, {@code data/} (partitions
 * and metadata log), {@code tmp/} (the JVM's temporary files) and, unless another log file is given,
 * {@code kafka.log}.
 */
public final class LocalKafka extends ManagedProcess<LocalKafka> {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final String MAIN_CLASS = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    private static final int CONTROLLER = 1;

    private final String maxHeap;
    private final String classpath;
    private final Map<String, String> overrides;
    private final List<String> jvmOptions;
    private final LocalKafkaSecurity security;
    private final String clusterId;

    private LocalKafka(Builder b) {
        super("Kafka broker", "kafka.log", STOP_GRACE, b);
        this.maxHeap = b.maxHeap;
        this.classpath = b.classpath;
        this.overrides = Map.copyOf(b.overrides);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.security = b.security;
        this.clusterId = b.clusterId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the configuration, formats the storage only when the data folder has none yet, and runs the broker
     * JVM; {@link #start()} returns once it answers a cluster description.
     */
    @Override
    protected LocalProcess.Builder prepare() {
        String cp = classpath != null ? classpath : readBrokerClasspath();
        KafkaBrokerConfig config = new KafkaBrokerConfig(createDirectory("data"), port(), controllerPort(),
                logFile(), security == null ? Map.of() : security.brokerSettings(port(), controllerPort()), overrides);
        createDirectory("tmp");
        Path serverProperties = writePrivate("server.properties", config.renderServerProperties());
        Path log4j = write("log4j2.properties", config.renderLog4j2());
        formatIfNeeded(cp, serverProperties, log4j);

        List<String> cmd = jvm(maxHeap, log4j);
        cmd.addAll(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"));
        cmd.addAll(jvmOptions);
        cmd.add(MAIN_CLASS);
        cmd.add(serverProperties.toString());
        return LocalProcess.builder("kafka")
                .command(cmd)
                // CLASSPATH rather than -cp: the hundred jars would otherwise fill every line of ps and pgrep.
                .environment("CLASSPATH", cp);
    }

    /**
     * Writes a file only its owner may read (it may hold the broker's password): mode 600 before any content.
     */
    private Path writePrivate(String file, String content) {
        Path path = dataDir().resolve(file);
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new InfraException("cannot write " + path, e);
        }
        return write(file, content);
    }

    /**
     * The settings a client needs to be allowed everything on this broker: the broker principal's (SASL PLAIN) with
     * {@link Builder#security security}, else none (PLAINTEXT).
     */
    public Map<String, String> superUserSettings() {
        return security == null ? Map.of() : security.brokerClientSettings();
    }

    /** "127.0.0.1:PORT"; the port is known after the first {@link #start()} when the builder said 0. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    @Override
    protected String address() {
        return bootstrapServers();
    }

    public int controllerPort() {
        return port(CONTROLLER);
    }

    /** Creates a topic with replication factor 1; does nothing if it exists already (whatever its partitions). */
    public void createTopic(String name, int partitions) {
        createTopics(Map.of(name, partitions));
    }

    /** Creates topics (name to partitions) with replication factor 1; existing ones are left as they are. */
    public void createTopics(Map<String, Integer> nameToPartitions) {
        KafkaAdmin.createTopics(bootstrapServers(), superUserSettings(), nameToPartitions);
    }

    @Override
    protected void awaitReady(long deadline) {
        // First the port: an admin client pointed at a broker still starting logs a warning per attempt.
        await(() -> accepts(port()), deadline, 100, "does not listen on " + bootstrapServers());
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L));
        try {
            KafkaAdmin.awaitReady(bootstrapServers(), superUserSettings(), left);
        } catch (InfraException e) {
            checkAlive();
            throw startFailure("listens on " + bootstrapServers() + " but does not answer");
        }
        if (security != null) {
            try (Admin admin = KafkaAdmin.open(bootstrapServers(), superUserSettings())) {
                security.apply(admin);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while setting the Kafka users and ACLs", e);
            } catch (TimeoutException | IllegalStateException e) {
                checkAlive();
                throw startFailure("does not take its users and ACLs (" + e.getMessage() + ")");
            }
        }
    }

    /**
     * Formats the storage once: {@code meta.properties} in the log folder says it has been. Keeping it is what
     * lets a restart keep the topics. The cluster id comes from kafka-clients' {@link Uuid}, the same call
     * {@code StorageTool random-uuid} makes, which saves starting a JVM for it.
     */
    private void formatIfNeeded(String cp, Path serverProperties, Path log4j) {
        if (Files.exists(dataDir().resolve("data/meta.properties"))) {
            return;
        }
        long t0 = System.nanoTime();
        String clusterId = this.clusterId != null ? this.clusterId : Uuid.randomUuid().toString();
        List<String> cmd = jvm("256m", log4j);
        // A short-lived tool: the C1 compiler alone and the serial collector start it fastest.
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        cmd.addAll(List.of(STORAGE_TOOL, "format", "-t", clusterId, "-c", serverProperties.toString()));
        if (!overrides.containsKey(KafkaBrokerConfig.STATIC_VOTERS)) {
            cmd.add("--standalone");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dataDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectErrorStream(true);
        pb.environment().put("CLASSPATH", cp);
        try {
            Process format = pb.start();
            if (!format.waitFor(60, TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new InfraException(LogFiles.failure("Formatting Kafka storage in " + dataDir()
                        + " took more than 60 s", logFile()));
            }
            if (format.exitValue() != 0) {
                throw new InfraException(LogFiles.failure("Formatting Kafka storage in " + dataDir()
                        + " failed (exit code " + format.exitValue() + ")", logFile()));
            }
        } catch (IOException e) {
            throw new InfraException("cannot run " + STORAGE_TOOL + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while formatting Kafka storage in " + dataDir(), e);
        }
        LOG.debug("formatted Kafka storage in {} (cluster {}) in {} ms", dataDir(), clusterId,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The java of this JVM's installation, with the options the broker and the storage tool share. */
    private List<String> jvm(String heap, Path log4j) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ArrayList<>(List.of(
                java.toString(),
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Djava.io.tmpdir=" + dataDir().resolve("tmp"),
                "-Dlog4j2.configurationFile=" + log4j,
                // Lets people (and pgrep) tell a Chipwatch broker from any other Kafka on the machine.
                "-Dchipwatch.component=kafka"));
    }

    private static String readBrokerClasspath() {
        Path file = ChipwatchHome.locate().kafkaBrokerClasspathFile();
        try {
            String cp = Files.readString(file).trim();
            if (cp.isEmpty()) {
                throw new InfraException("The Kafka broker classpath " + file + " is empty");
            }
            return cp;
        } catch (NoSuchFileException e) {
            throw new InfraException("The Kafka broker classpath " + file + " does not exist: build the project"
                    + " first (mvn -pl kafka-broker package, or ./telemetry, which builds when needed)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Options of a {@link LocalKafka}; only the data folder is required. */
    public static final class Builder extends ManagedProcess.Builder<Builder, LocalKafka> {
        private String maxHeap = "512m";
        private String classpath;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private LocalKafkaSecurity security;
        private String clusterId;

        private Builder() {
            // The client port and the KRaft controller port; start timeout 60 s.
            super(2, Duration.ofSeconds(60));
        }

        /** KRaft controller port on 127.0.0.1; 0 (default) picks a free one at the first start. */
        public Builder controllerPort(int controllerPort) {
            return port(CONTROLLER, controllerPort);
        }

        /** The broker JVM's -Xmx, such as "512m" (default) or "1g". */
        public Builder maxHeap(String maxHeap) {
            if (!maxHeap.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("maxHeap must look like 512m or 1g, got " + maxHeap);
            }
            this.maxHeap = maxHeap;
            return this;
        }

        /** The broker's classpath; default: the file the kafka-broker module's build writes. */
        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /** Adds an option to the broker JVM's command line (after the defaults, so it can override them). */
        public Builder jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option));
            return this;
        }

        /**
         * Makes the broker authenticate (SASL) and authorize (ACLs) with these users and ACLs; default: PLAINTEXT,
         * open to every local process (tests).
         */
        public Builder security(LocalKafkaSecurity security) {
            this.security = Objects.requireNonNull(security);
            return this;
        }

        /**
         * Makes this broker member {@code nodeId} of a multi-node KRaft cluster (broker and controller roles in each
         * node) whose controllers are {@code voters} ({@code 1@127.0.0.1:PORT,2@...}): its storage is formatted
         * with {@code clusterId} (the same for every member) and without {@code --standalone}. Start the members
         * together: none answers before a majority of the controllers runs.
         */
        public Builder clusterMember(int nodeId, String voters, String clusterId) {
            this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
            overrides.put("node.id", String.valueOf(nodeId));
            overrides.put(KafkaBrokerConfig.STATIC_VOTERS, Objects.requireNonNull(voters, "voters"));
            return this;
        }

        /** Sets or replaces one {@code server.properties} setting. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        @Override
        protected LocalKafka create() {
            return new LocalKafka(this);
        }
    }
}
