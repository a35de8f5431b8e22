package io.chipwatch.infra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin calls the stack and the tests make on any Kafka broker or cluster, whoever started it (a
 * {@link LocalKafka}, a cluster's brokers, a container): create topics, wait until it answers, open an admin client
 * with a client's security settings. Static and stateless: each call opens and closes its own client.
 */
public final class KafkaAdmin {

    private KafkaAdmin() {
    }

    /**
     * Creates topics with {@code replicationFactor} replicas on any broker (a cluster's); existing ones are left as
     * they are.
     */
    public static void createTopics(String bootstrapServers, Map<String, String> clientSecurity,
                                    Map<String, Integer> nameToPartitions, short replicationFactor) {
        createReplicatedTopics(bootstrapServers, clientSecurity, nameToPartitions, replicationFactor);
    }

    /**
     * Creates topics on any broker; existing ones are left as they are. Shared with test-support, whose
     * containerized Kafka needs the same.
     */
    public static void createTopics(String bootstrapServers, Map<String, Integer> nameToPartitions) {
        createTopics(bootstrapServers, Map.of(), nameToPartitions);
    }

    /** As {@link #createTopics(String, Map)}, with a client's security settings (a principal allowed to create). */
    public static void createTopics(String bootstrapServers, Map<String, String> clientSecurity,
                                    Map<String, Integer> nameToPartitions) {
        createReplicatedTopics(bootstrapServers, clientSecurity, nameToPartitions, (short) 1);
    }

    private static void createReplicatedTopics(String bootstrapServers, Map<String, String> clientSecurity,
                                               Map<String, Integer> nameToPartitions, short replicationFactor) {
        List<NewTopic> topics = new ArrayList<>();
        nameToPartitions.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, replicationFactor)));
        try (Admin admin = open(bootstrapServers, clientSecurity)) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new InfraException("cannot create topic " + entry.getKey() + " on "
                                + bootstrapServers + ": " + e.getCause(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while creating topics " + nameToPartitions.keySet(), e);
        } catch (TimeoutException e) {
            throw new InfraException("creating topics " + nameToPartitions.keySet() + " on " + bootstrapServers
                    + " took more than 30 s", e);
        }
    }

    /**
     * Waits until a broker answers a cluster description with at least one live broker.
     *
     * @return the time it took
     * @throws InfraException when it does not within {@code timeout}
     */
    public static Duration awaitReady(String bootstrapServers, Duration timeout) {
        return awaitReady(bootstrapServers, Map.of(), timeout);
    }

    /** As {@link #awaitReady(String, Duration)}, with a client's security settings. */
    public static Duration awaitReady(String bootstrapServers, Map<String, String> clientSecurity, Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        try (Admin admin = open(bootstrapServers, clientSecurity)) {
            while (true) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return Duration.ofNanos(System.nanoTime() - t0);
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // Not ready yet: the controller may still be electing itself.
                }
                if (System.nanoTime() > deadline) {
                    throw new InfraException("Kafka at " + bootstrapServers + " is not ready after "
                            + timeout.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while waiting for Kafka at " + bootstrapServers, e);
        }
    }

    /** An admin client for {@code bootstrapServers}, with a client's security settings; the caller closes it. */
    public static Admin open(String bootstrapServers, Map<String, String> clientSecurity) {
        Properties props = new Properties();
        props.putAll(clientSecurity);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "chipwatch-infra");
        return Admin.create(props);
    }
}
