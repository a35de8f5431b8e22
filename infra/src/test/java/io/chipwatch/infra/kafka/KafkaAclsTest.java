package io.chipwatch.infra.kafka;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaAclsTest {

    private final List<AclBinding> acls = KafkaAcls.forStack(KafkaAuthIT.NAMES);

    /** The principals allowed {@code op} on the topic {@code topic}. */
    private Set<String> allowed(AclOperation op, ResourceType type, String name) {
        return acls.stream()
                .filter(b -> b.pattern().resourceType() == type && b.pattern().name().equals(name)
                        && b.entry().operation() == op)
                .map(b -> b.entry().principal()).collect(Collectors.toSet());
    }

    @Test
    void onlyTheCollectorWritesSamplesAndTruth() {
        assertThat(allowed(AclOperation.WRITE, ResourceType.TOPIC, "chip-samples")).containsExactly("User:collector");
        assertThat(allowed(AclOperation.WRITE, ResourceType.TOPIC, "fault-truth")).containsExactly("User:collector");
    }

    @Test
    void anomaliesAreWrittenByDetectionAndTheCollectorsSourceDownEvents() {
        assertThat(allowed(AclOperation.WRITE, ResourceType.TOPIC, "anomalies"))
                .containsExactlyInAnyOrder("User:detection", "User:collector");
        assertThat(allowed(AclOperation.READ, ResourceType.TOPIC, "anomalies")).containsExactly("User:alerting");
    }

    @Test
    void onlyAlertingWritesItsStateAndOnlyAggregationTheDeadLetters() {
        assertThat(allowed(AclOperation.WRITE, ResourceType.TOPIC, "alerting-state")).containsExactly("User:alerting");
        assertThat(allowed(AclOperation.READ, ResourceType.TOPIC, "alerting-state")).containsExactly("User:alerting");
        assertThat(allowed(AclOperation.WRITE, ResourceType.TOPIC, "chip-samples-dead-letter"))
                .containsExactly("User:aggregation");
    }

    @Test
    void eachConsumerReadsOnlyItsOwnGroup() {
        assertThat(allowed(AclOperation.READ, ResourceType.GROUP, "chipwatch-aggregation"))
                .containsExactly("User:aggregation");
        assertThat(allowed(AclOperation.READ, ResourceType.GROUP, "chipwatch-detection"))
                .containsExactly("User:detection");
        assertThat(allowed(AclOperation.READ, ResourceType.GROUP, "chipwatch-alerting")).containsExactly("User:alerting");
        assertThat(allowed(AclOperation.READ, ResourceType.TOPIC, "chip-samples"))
                .containsExactlyInAnyOrder("User:aggregation", "User:detection", "User:alerting");
        // Alerting's path watch only looks at the jobs' committed offsets: DESCRIBE, never READ (commit).
        assertThat(allowed(AclOperation.DESCRIBE, ResourceType.GROUP, "chipwatch-detection"))
                .containsExactly("User:alerting");
        assertThat(allowed(AclOperation.DESCRIBE, ResourceType.GROUP, "chipwatch-aggregation"))
                .containsExactly("User:alerting");
    }

    @Test
    void detectionsTransactionsArePrefixedAndEverythingIsAnAllowFromAnyHost() {
        assertThat(acls).filteredOn(b -> b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID)
                .allSatisfy(b -> {
                    assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
                    assertThat(b.pattern().name()).isEqualTo("chipwatch-detection");
                    assertThat(b.entry().principal()).isEqualTo("User:detection");
                }).hasSize(2);
        assertThat(acls).allSatisfy(b -> {
            assertThat(b.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            assertThat(b.entry().host()).isEqualTo("*");
            assertThat(b.entry().operation()).isNotEqualTo(AclOperation.ALL);
            assertThat(b.pattern().resourceType()).isNotEqualTo(ResourceType.CLUSTER);
        });
        assertThat(acls).noneMatch(b -> b.entry().principal().equals("User:admin"));
    }
}
