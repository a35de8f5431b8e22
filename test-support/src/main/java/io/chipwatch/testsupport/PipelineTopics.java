package io.chipwatch.testsupport;

/**
 * The unique names one run of a pipeline test uses: the samples topic, the dead-letter topic next to it (both
 * created on the broker) and the InfluxDB database the job writes to ({@code <name>_samples},
 * {@code <name>_samples-dead-letter}, {@code <name>_telemetry}, each made unique by {@link TestTopics}).
 *
 * @param topic           the samples topic
 * @param deadLetterTopic where the job sends what it cannot decode
 * @param database        the InfluxDB database (not created: the job creates it)
 */
public record PipelineTopics(String topic, String deadLetterTopic, String database) {

    /**
     * Names for a run called {@code name}; creates the samples topic with {@code partitions} partitions and the
     * dead-letter topic with one.
     */
    public static PipelineTopics create(KafkaService kafka, String name, int partitions) {
        String topic = TestTopics.unique(name + "_samples");
        PipelineTopics topics = new PipelineTopics(topic, topic + "-dead-letter", TestTopics.unique(name + "_telemetry"));
        kafka.createTopic(topics.topic(), partitions);
        kafka.createTopic(topics.deadLetterTopic(), 1);
        return topics;
    }
}
