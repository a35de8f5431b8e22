package io.chipwatch.jobs.launch;

import io.chipwatch.jobs.aggregation.AggregationJobConfig;
import io.chipwatch.jobs.aggregation.AggregationJobOptions;
import io.chipwatch.jobs.detection.DetectionJobConfig;
import io.chipwatch.jobs.detection.DetectionJobOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and usage errors of both jobs' command lines: every message names the option and what to pass. */
class JobCommandLineTest {
    private static final List<String> REQUIRED = List.of("--bootstrap", "k:9092", "--influx-url", "http://i:8086");

    @Test
    void anUnknownOptionIsNamedWithTheClosestOptionAndTheList() {
        assertThatThrownBy(() -> aggregation("--window-secs", "5"))
                .isInstanceOf(JobUsageException.class)
                .hasMessageStartingWith("unknown option(s) [--window-secs] (did you mean --window-seconds?)")
                .hasMessageContaining("the options are --bootstrap, --topic,")
                .hasMessageNotContaining("--help");
    }

    @Test
    void anOptionWithoutItsValueSaysWhatToPass() {
        assertThatThrownBy(() -> aggregation("--topic"))
                .hasMessage("--topic needs a value; pass --topic NAME (default chip-samples), or leave the option out "
                        + "for its default");
        assertThatThrownBy(() -> aggregation("--dead-letter-topic", "--bounded"))
                .hasMessageStartingWith("--dead-letter-topic needs a value");
        assertThatThrownBy(() -> JobCommandLine.parse(new DetectionJobOptions(), List.of("--bootstrap")))
                .hasMessage("--bootstrap needs a value; pass --bootstrap HOST:PORT[,...]");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheOptionAndItsDefault() {
        assertThatThrownBy(() -> aggregation("--window-seconds", "ten"))
                .hasMessage("--window-seconds has invalid value 'ten'; pass --window-seconds N (default 10)");
        assertThatThrownBy(() -> aggregation("--parallelism", "two"))
                .hasMessage("--parallelism has invalid value 'two'; pass --parallelism N");
    }

    @Test
    void aStrayArgumentSaysHowOptionsArePassed() {
        assertThatThrownBy(() -> aggregation("chips=16"))
                .hasMessageContaining("'chips=16'")
                .hasMessageEndingWith("pass options as --option value (--help lists them)");
    }

    @Test
    void theHintsGiveTheDefaultsTheOptionsReallyHave() {
        // The detection job's idleness hint once said 5000 while its default was 60000.
        assertThatThrownBy(() -> detection("--idleness-ms", "-1"))
                .hasMessage("--idleness-ms has invalid value '-1'; pass milliseconds >= 0, e.g. --idleness-ms 60000 "
                        + "(0 disables idle detection)");
        assertThat(JobCommandLine.parse(new DetectionJobOptions(), List.of("--bootstrap", "b:1")).job().idleness())
                .isEqualTo(Duration.ofMillis(60_000));
    }

    @Test
    void theUsageShowsEachJobsOwnDefaults() {
        String aggregation = new JobCommandLine<>(new AggregationJobOptions()).usage();
        String detection = new JobCommandLine<>(new DetectionJobOptions()).usage();

        assertThat(optionHelp(aggregation, "--out-of-orderness-ms")).contains("[2000]");
        assertThat(optionHelp(detection, "--out-of-orderness-ms")).contains("[400]");
        assertThat(optionHelp(aggregation, "--checkpoint-interval-ms")).contains("[10000]");
        assertThat(optionHelp(detection, "--checkpoint-interval-ms")).contains("[10000]");
        assertThat(optionHelp(aggregation, "--group-id")).contains("[chipwatch-aggregation]");
        assertThat(optionHelp(detection, "--group-id")).contains("[chipwatch-detection]");
        for (String usage : List.of(aggregation, detection)) {
            assertThat(optionHelp(usage, "--idleness-ms")).contains("[60000]");
            assertThat(optionHelp(usage, "--metrics-interval-ms")).contains("[10000]");
            assertThat(optionHelp(usage, "--topic")).contains("[chip-samples]");
        }
        assertThat(optionHelp(aggregation, "--window-seconds")).contains("[10]");
        assertThat(optionHelp(detection, "--anomalies-topic")).contains("[anomalies]");
    }

    @Test
    void helpIsRecognisedWithoutValidatingTheRest() {
        assertThat(new JobCommandLine<>(new AggregationJobOptions()).parseArgs(List.of("--help"))).isTrue();
        assertThat(new JobCommandLine<>(new DetectionJobOptions()).parseArgs(List.of("-h", "--parallelism", "2")))
                .isTrue();
        assertThat(new JobCommandLine<>(new DetectionJobOptions()).parseArgs(List.of("--bootstrap", "b:1")))
                .isFalse();
    }

    @Test
    void anOptionGivenTwiceTakesItsLastValue() {
        assertThat(aggregation("--topic", "a", "--topic", "b").job().topic()).isEqualTo("b");
    }

    @Test
    void bothJobsTakeTheCheckpointDirectoryAsAPathOrAFileUri() {
        AggregationJobConfig fromPath = aggregation("--checkpoint-dir", "/srv/ckpt");
        AggregationJobConfig fromUri = aggregation("--checkpoint-dir", "file:///srv/ckpt");
        DetectionJobConfig detectionFromPath = detection("--checkpoint-dir", "/srv/ckpt");
        DetectionJobConfig detectionFromUri = detection("--checkpoint-dir", "file:///srv/ckpt");

        assertThat(List.of(fromPath.job().checkpointDir(), fromUri.job().checkpointDir(),
                detectionFromPath.job().checkpointDir(), detectionFromUri.job().checkpointDir()))
                .allSatisfy(dir -> assertThat(dir).hasValueSatisfying(uri ->
                        assertThat(uri.getPath()).isEqualTo("/srv/ckpt")));
        assertThat(fromPath.job().checkpointDir().get().getScheme()).isEqualTo("file");
        assertThatThrownBy(() -> detection("--checkpoint-dir", "file:relative"))
                .hasMessageStartingWith("--checkpoint-dir has invalid value 'file:relative'; pass an absolute file URI");
    }

    private static AggregationJobConfig aggregation(String... extra) {
        return JobCommandLine.parse(new AggregationJobOptions(), concat(REQUIRED, extra));
    }

    private static DetectionJobConfig detection(String... extra) {
        return JobCommandLine.parse(new DetectionJobOptions(), concat(List.of("--bootstrap", "b:1"), extra));
    }

    private static List<String> concat(List<String> head, String... tail) {
        return Stream.concat(head.stream(), Arrays.stream(tail)).toList();
    }

    /** The help text of one option: its line and the indented lines after it. */
    private static String optionHelp(String usage, String option) {
        int start = usage.indexOf("      " + option + "=");
        assertThat(start).as("%s in the usage", option).isNotNegative();
        int end = usage.indexOf("\n      --", start + 1);
        return usage.substring(start, end < 0 ? usage.length() : end).replaceAll("\\s+", " ");
    }
}
