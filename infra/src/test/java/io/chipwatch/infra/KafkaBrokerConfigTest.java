package io.chipwatch.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerConfigTest {

    private final KafkaBrokerConfig config = new KafkaBrokerConfig(Path.of("/srv/kafka/data"), 19092, 19093,
            Path.of("/srv/logs/kafka.log"), Map.of("log.retention.hours", "1"));

    private Properties server() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(config.renderServerProperties()));
        return p;
    }

    @Test
    void singleNodeKraftOnLoopback() throws IOException {
        Properties p = server();
        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(p.getProperty("advertised.listeners")).contains("PLAINTEXT://127.0.0.1:19092");
        assertThat(p.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:19093");
        assertThat(p.getProperty("controller.listener.names")).isEqualTo("CONTROLLER");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/srv/kafka/data");
    }

    @Test
    void everythingReplicatedOnceAndNoRebalanceDelay() throws IOException {
        Properties p = server();
        assertThat(p).containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("default.replication.factor", "1")
                .containsEntry("num.partitions", "4")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void overridesWin() throws IOException {
        assertThat(server()).containsEntry("log.retention.hours", "1");
    }

    @Test
    void log4jWritesToTheLogFile() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(config.renderLog4j2()));
        assertThat(p.getProperty("appender.file.fileName")).isEqualTo("/srv/logs/kafka.log");
        assertThat(p.getProperty("appender.file.append")).isEqualTo("true");
        assertThat(p.getProperty("rootLogger.appenderRef.file.ref")).isEqualTo("FILE");
    }
}
