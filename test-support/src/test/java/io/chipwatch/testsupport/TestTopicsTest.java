package io.chipwatch.testsupport;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestTopicsTest {

    @Test
    void namesAreUniqueAndUsableAsTopicAndDatabase() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(TestTopics.unique("samples"));
        }
        assertThat(names).hasSize(1000).allSatisfy(n -> assertThat(n).matches("samples_\\d+_[a-z0-9]+"));
    }

    @Test
    void prefixesThatWouldNeedQuotingAreCleanedUp() {
        assertThat(TestTopics.unique("chip-samples.v1")).startsWith("chip_samples_v1_");
        assertThat(TestTopics.unique("")).matches("t_\\d+_[a-z0-9]+");
        assertThat(TestTopics.unique("1st")).startsWith("t1st_");
    }
}
