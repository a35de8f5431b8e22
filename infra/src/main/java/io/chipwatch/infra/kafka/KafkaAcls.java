package io.chipwatch.infra.kafka;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;

/**
 * What each {@link KafkaRole} may do on the local stack's broker, as Kafka ACLs (allow only; everything not granted
 * is refused, {@link KafkaRole#ADMIN} and the broker are super users). Only the collector writes chip-samples and
 * fault-truth, only the aggregation job the dead-letter topic, only alerting its state topic; anomalies are written
 * by the detection job and by the collector (a real source's source-down events). Reading a topic with a consumer
 * group needs READ on the group too.
 */
public final class KafkaAcls {

    /**
     * The topics, consumer groups and transactional id prefix the ACLs name.
     *
     * @param samples          chip-samples
     * @param truth            fault-truth
     * @param deadLetter       chip-samples-dead-letter
     * @param anomalies        anomalies
     * @param alertingState    alerting-state
     * @param aggregationGroup the aggregation job's consumer group
     * @param detectionGroup   the detection job's consumer group
     * @param alertingGroup    alerting's consumer group
     * @param detectionTxnPrefix the detection job's transactional id prefix (exactly-once delivery)
     */
    public record Names(String samples, String truth, String deadLetter, String anomalies, String alertingState,
                        String aggregationGroup, String detectionGroup, String alertingGroup,
                        String detectionTxnPrefix) {
    }

    private KafkaAcls() {
    }

    /** Every ACL of the local stack. */
    public static List<AclBinding> forStack(Names n) {
        List<AclBinding> acls = new ArrayList<>();
        KafkaRole collector = KafkaRole.COLLECTOR;
        produce(acls, collector, n.samples());
        produce(acls, collector, n.truth());
        produce(acls, collector, n.anomalies());
        // The collector creates fault-truth when it is missing (standalone runs).
        topic(acls, collector, n.truth(), AclOperation.CREATE);

        KafkaRole aggregation = KafkaRole.AGGREGATION;
        consume(acls, aggregation, n.samples(), n.aggregationGroup());
        produce(acls, aggregation, n.deadLetter());

        KafkaRole detection = KafkaRole.DETECTION;
        consume(acls, detection, n.samples(), n.detectionGroup());
        produce(acls, detection, n.anomalies());
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(binding(detection, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, n.detectionTxnPrefix(),
                    PatternType.PREFIXED), op));
        }

        KafkaRole alerting = KafkaRole.ALERTING;
        consume(acls, alerting, n.anomalies(), n.alertingGroup());
        // Creates both when missing (it may start first); creating an existing topic changes nothing.
        topic(acls, alerting, n.anomalies(), AclOperation.CREATE);
        produce(acls, alerting, n.alertingState());
        topic(acls, alerting, n.alertingState(), AclOperation.READ);
        topic(acls, alerting, n.alertingState(), AclOperation.CREATE);
        topic(acls, alerting, n.alertingState(), AclOperation.DESCRIBE_CONFIGS);
        // The silence watch asks for the newest record time of chip-samples (offsets by timestamp, a fetch).
        topic(acls, alerting, n.samples(), AclOperation.DESCRIBE);
        topic(acls, alerting, n.samples(), AclOperation.READ);
        // The path watch reads the jobs' committed offsets of chip-samples (how far behind each job is).
        for (String jobGroup : List.of(n.aggregationGroup(), n.detectionGroup())) {
            acls.add(binding(alerting, new ResourcePattern(ResourceType.GROUP, jobGroup, PatternType.LITERAL),
                    AclOperation.DESCRIBE));
        }
        return List.copyOf(acls);
    }

    private static void produce(List<AclBinding> acls, KafkaRole role, String topic) {
        topic(acls, role, topic, AclOperation.WRITE);
        topic(acls, role, topic, AclOperation.DESCRIBE);
    }

    private static void consume(List<AclBinding> acls, KafkaRole role, String topic, String group) {
        topic(acls, role, topic, AclOperation.READ);
        topic(acls, role, topic, AclOperation.DESCRIBE);
        acls.add(binding(role, new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL), AclOperation.READ));
    }

    private static void topic(List<AclBinding> acls, KafkaRole role, String topic, AclOperation op) {
        acls.add(binding(role, new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), op));
    }

    private static AclBinding binding(KafkaRole role, ResourcePattern resource, AclOperation op) {
        return new AclBinding(resource, new AccessControlEntry(principal(role), "*", op, AclPermissionType.ALLOW));
    }

    /** {@code User:<username>}. */
    public static String principal(KafkaRole role) {
        return "User:" + role.username();
    }
}
