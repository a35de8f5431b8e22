package io.chipwatch.alerting.pathwatch;

import io.chipwatch.model.anomaly.Fact;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** Kafka's reachability and the jobs' lag, check by check on hand-set offsets (1,000 samples a second). */
class KafkaPathTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final int RATE = 1_000;

    /** Two partitions; the end grows RATE a second; the groups' committed offsets are set by hand. */
    private static final class Offsets implements TopicOffsets {
        long end;
        boolean down;
        final Map<String, Long> committed = new HashMap<>();

        @Override
        public Map<Integer, Long> endOffsets(String topic) throws Exception {
            if (down) {
                throw new TimeoutException("Timed out waiting for a node assignment");
            }
            return Map.of(0, end / 2, 1, end - end / 2);
        }

        @Override
        public Map<Integer, Long> committed(String group, String topic) {
            Long c = committed.get(group);
            return c == null ? Map.of() : Map.of(0, c / 2, 1, c - c / 2);
        }
    }

    private final Offsets offsets = new Offsets();
    private final KafkaPath path = new KafkaPath(offsets, "127.0.0.1:9092", "chip-samples",
            Map.of("detection", "chipwatch-detection"), Duration.ofSeconds(15), Duration.ofSeconds(60));
    private long now = T0;

    /** Moves time by {@code seconds}: the topic grows, the job commits {@code jobBehindS} seconds behind it. */
    private List<PathProblem> after(int seconds, double jobBehindS) throws Exception {
        now += seconds * 1000L;
        offsets.end += (long) seconds * RATE;
        offsets.committed.put("chipwatch-detection", Math.max(0, offsets.end - (long) (jobBehindS * RATE)));
        return path.problems(now);
    }

    @Test
    void aJobBehindTheLimitOnTwoChecksIsOneProblemNamingItAndItClearsBelowHalfTheLimit() throws Exception {
        offsets.end = 1_000_000;
        assertThat(after(5, 10)).as("first look: no rate yet").isEmpty();
        assertThat(after(5, 12)).as("12 s behind: a checkpoint interval, healthy").isEmpty();
        assertThat(after(5, 65)).as("one check over the limit is not enough").isEmpty();
        List<PathProblem> behind = after(5, 70);
        assertThat(behind).hasSize(1);
        PathProblem p = behind.get(0);
        assertThat(p.entity()).isEqualTo("detection");
        assertThat(p.sinceMillis()).as("the first check over the limit").isEqualTo(T0 + 15_000);
        assertThat(p.facts().get(Fact.LAG_S)).isCloseTo(70.0, within(0.5));
        assertThat(p.facts().get(Fact.LAG_LIMIT_S)).isEqualTo(60.0);
        assertThat(p.detail()).contains("stream job detection (consumer group chipwatch-detection) is 70 s of samples "
                + "(70000 records) behind the newest sample of chip-samples (limit 60 s)");

        assertThat(after(5, 40)).as("40 s: still over half the limit").hasSize(1);
        assertThat(after(5, 29)).as("under half the limit: clear").isEmpty();
        assertThat(after(5, 65)).as("judged afresh: one check over is not enough").isEmpty();
    }

    @Test
    void aJobThatNeverCommittedOrATopicWithoutNewRecordsIsNotJudged() throws Exception {
        now += 5_000;
        assertThat(path.problems(now)).isEmpty();
        now += 5_000;
        offsets.end += 5 * RATE;
        assertThat(path.problems(now)).as("no committed offset: the job never ran").isEmpty();
        offsets.committed.put("chipwatch-detection", 0L);
        now += 5_000;
        assertThat(path.problems(now)).as("5,000 records behind, but nothing new came in 5 s of the window")
                .isEmpty();
    }

    @Test
    void kafkaFailingEveryLookForTheLimitIsOneProblemUntilItHasAnsweredForTheLimit() throws Exception {
        offsets.end = 1_000;
        assertThat(after(5, 1)).isEmpty();
        offsets.down = true;
        now += 5_000;
        assertThatThrownBy(() -> path.problems(now)).as("failing, under the limit: cannot tell");
        now += 10_000;
        assertThatThrownBy(() -> path.problems(now)).as("10 s of failures");
        now += 5_000;
        List<PathProblem> down = path.problems(now);
        assertThat(down).extracting(PathProblem::entity).containsExactly("kafka");
        assertThat(down.get(0).sinceMillis()).isEqualTo(T0 + 10_000);
        assertThat(down.get(0).facts()).containsEntry(Fact.FAILING_S, 15.0).containsEntry(Fact.FAILING_LIMIT_S, 15.0);
        assertThat(down.get(0).detail()).startsWith("Kafka at 127.0.0.1:9092 has not answered for 15 s (limit 15 s)")
                .contains("Timed out waiting for a node assignment");
        offsets.down = false;
        List<PathProblem> back = after(5, 1);
        assertThat(back).extracting(PathProblem::entity, PathProblem::sinceMillis)
                .as("answering again: held, the same problem (the supervisor's report joins it)")
                .containsExactly(tuple("kafka", T0 + 10_000));
        assertThat(back.get(0).detail()).isEqualTo("Kafka at 127.0.0.1:9092 answers again since 0 s, after 20 s "
                + "without an answer; this clears once it has answered for 15 s");
        offsets.down = true;
        now += 5_000;
        assertThat(path.problems(now)).as("failing again: still reported").extracting(PathProblem::sinceMillis)
                .containsExactly(T0 + 10_000);
        offsets.down = false;
        assertThat(after(5, 1)).extracting(PathProblem::entity).containsExactly("kafka");
        assertThat(after(10, 1)).extracting(PathProblem::entity).containsExactly("kafka");
        assertThat(after(5, 1)).as("answered for 15 s").isEmpty();
        assertThat(after(5, 1)).isEmpty();
    }
}
