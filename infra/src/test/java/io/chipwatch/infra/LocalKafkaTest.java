package io.chipwatch.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalKafkaTest {

    @TempDir
    Path tmp;

    @Test
    void builderChecksItsOptions() {
        assertThatThrownBy(() -> LocalKafka.builder().maxHeap("-Xmx512m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalKafka.builder().port(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalKafka.builder().build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void notStartedYet() {
        LocalKafka kafka = LocalKafka.builder().dataDir(tmp).port(19092).build();
        assertThat(kafka.isRunning()).isFalse();
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(kafka.logFile()).isEqualTo(tmp.resolve("kafka.log"));
        assertThatThrownBy(kafka::pid).isInstanceOf(IllegalStateException.class);
        kafka.stop(); // nothing to stop: no error
    }
}
