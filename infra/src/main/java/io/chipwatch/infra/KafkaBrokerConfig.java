package io.chipwatch.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files a single-node KRaft broker (broker and controller in one JVM) starts from: {@code server.properties}
 * and the log4j2 configuration. Pure rendering, so it is unit-tested without starting anything.
 *
 * @param logDir         where the broker keeps partitions and the metadata log
 * @param port           the client listener (PLAINTEXT) on 127.0.0.1
 * @param controllerPort the KRaft controller listener on 127.0.0.1
 * @param logFile        where log4j2 writes the broker's log
 * @param security       the settings of an authenticating broker ({@code LocalKafkaSecurity#brokerSettings}):
 *                       listeners, SASL, authorizer; empty for a PLAINTEXT broker (tests)
 * @param overrides      extra or replaced broker settings, applied last
 */
record KafkaBrokerConfig(Path logDir, int port, int controllerPort, Path logFile, Map<String, String> security,
                         Map<String, String> overrides) {

    static final int NODE_ID = 1;
    /** The setting that makes the broker one member of a multi-node quorum instead of a standalone node. */
    static final String STATIC_VOTERS = "controller.quorum.voters";

    KafkaBrokerConfig {
        security = Map.copyOf(security);
        overrides = Map.copyOf(overrides);
    }

    /** A PLAINTEXT broker. */
    KafkaBrokerConfig(Path logDir, int port, int controllerPort, Path logFile, Map<String, String> overrides) {
        this(logDir, port, controllerPort, logFile, Map.of(), overrides);
    }

    /** The broker settings, in the order they are written. */
    Map<String, String> serverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // A dynamic quorum of one (formatted with --standalone): the voter set lives in the metadata log.
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());

        // One node: every replication factor and min ISR must be 1, or internal topics never come up.
        p.put("num.partitions", "4");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        // 8 instead of 50: the first consumer group then waits for 8 partitions to load, not 50.
        p.put("offsets.topic.num.partitions", "8");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Tests and the local stack want a consumer group to start consuming at once, not after 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose (with their partition counts), never by a typo in a producer.
        p.put("auto.create.topics.enable", "false");

        // The local stack runs for days at thousands of samples a second: keep a bounded window of data.
        p.put("log.retention.hours", "24");
        p.put("log.retention.bytes", String.valueOf(2L * 1024 * 1024 * 1024));
        // Smaller segments than the default 1 GiB, so that retention can delete old data in smaller steps.
        p.put("log.segment.bytes", String.valueOf(128 * 1024 * 1024));
        p.put("log.retention.check.interval.ms", "60000");

        // Sized for a laptop or a 2-core CI machine shared with Flink and the tests.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("background.threads", "4");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));

        p.putAll(security);
        p.putAll(overrides);
        if (overrides.containsKey(STATIC_VOTERS)) {
            // A member of a cluster with a static voter set (LocalKafka.Builder#clusterMember): no dynamic bootstrap.
            p.remove("controller.quorum.bootstrap.servers");
        }
        return p;
    }

    /** {@code server.properties} text. */
    String renderServerProperties() {
        StringBuilder sb = new StringBuilder("# Written by Chipwatch (io.chipwatch.infra.LocalKafka) at every start.\n");
        serverProperties().forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
        return sb.toString();
    }

    /**
     * log4j2 properties: INFO to the log file, with the chattiest loggers (request log, state changes, cleaner)
     * turned down. The file is appended to, because the broker's stdout and stderr go to the same file.
     */
    String renderLog4j2() {
        String file = escape(logFile.toAbsolutePath().toString());
        return String.join("\n",
                "# Written by Chipwatch (io.chipwatch.infra.LocalKafka) at every start.",
                "status = warn",
                "name = chipwatch-kafka",
                "appender.file.type = File",
                "appender.file.name = FILE",
                "appender.file.fileName = " + file,
                "appender.file.append = true",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = FILE",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = warn",
                "logger.statechange.name = state.change.logger",
                "logger.statechange.level = warn",
                "logger.cleaner.name = kafka.log.LogCleaner",
                "logger.cleaner.level = warn",
                "logger.authorizer.name = kafka.authorizer.logger",
                "logger.authorizer.level = warn",
                "logger.controller.name = org.apache.kafka.controller",
                "logger.controller.level = info",
                "logger.zookeeper.name = org.apache.zookeeper",
                "logger.zookeeper.level = warn",
                "");
    }

    /** Java properties treat backslashes as escapes; paths on Windows would need them doubled. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
