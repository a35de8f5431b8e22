package io.chipwatch.jobs.launch;

import io.chipwatch.jobs.aggregation.AggregationJobConfig;
import io.chipwatch.jobs.detection.DetectionJobConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The jobs' web UI settings: loopback unless configured, and no code submission, cancellation or rescaling. */
class JobEnvironmentTest {

    @Test
    void bothJobsServeTheirRestApiOnLoopbackByDefault() {
        AggregationJobConfig aggregation = AggregationJobConfig.fromArgs(new String[] {
                "--bootstrap", "b:1", "--influx-url", "http://127.0.0.1:8086", "--web-port", "8081"});
        DetectionJobConfig detection = DetectionJobConfig.fromArgs(new String[] {"--bootstrap", "b:1",
                "--web-port", "8082"});
        assertThat(aggregation.job().webAddress()).isEqualTo("127.0.0.1");
        assertThat(detection.job().webAddress()).isEqualTo("127.0.0.1");

        Configuration conf = JobEnvironment.webConfiguration(aggregation.job().webPort(), aggregation.job().webAddress());
        assertThat(conf.get(RestOptions.PORT)).isEqualTo(8081);
        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(conf.get(RestOptions.ADDRESS)).isEqualTo("127.0.0.1");
        // Flink's default for these is 0.0.0.0: the blob server would listen on every interface.
        assertThat(conf.get(JobManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
        assertThat(conf.get(TaskManagerOptions.BIND_HOST)).isEqualTo("127.0.0.1");
    }

    @Test
    void webSubmissionCancellationAndRescalingAreOff() {
        Configuration conf = JobEnvironment.webConfiguration(8082, "127.0.0.1");
        // Flink's defaults are true for all three: the settings must be present, not merely defaulted.
        assertThat(conf.contains(WebOptions.SUBMIT_ENABLE)).isTrue();
        assertThat(conf.get(WebOptions.SUBMIT_ENABLE)).isFalse();
        assertThat(conf.get(WebOptions.CANCEL_ENABLE)).isFalse();
        assertThat(conf.get(WebOptions.RESCALE_ENABLE)).isFalse();
    }

    @Test
    void anotherAddressIsTakenOnlyWhenConfigured() {
        DetectionJobConfig detection = DetectionJobConfig.fromArgs(new String[] {"--bootstrap", "b:1",
                "--web-port", "8082", "--web-address", "0.0.0.0"});
        Configuration conf = JobEnvironment.webConfiguration(detection.job().webPort(), detection.job().webAddress());
        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");
        assertThat(conf.get(WebOptions.SUBMIT_ENABLE)).isFalse();
        assertThatThrownBy(() -> DetectionJobConfig.fromArgs(new String[] {"--bootstrap", "b:1",
                "--web-address", " "})).hasMessageContaining("--web-address needs a value");
    }
}
