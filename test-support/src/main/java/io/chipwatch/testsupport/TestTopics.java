package io.chipwatch.testsupport;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Unique names for topics, consumer groups and databases, so tests sharing one broker or one InfluxDB never see
 * each other's data, whatever order they run in.
 */
public final class TestTopics {

    /** Everything but what is legal both in Kafka topic names and in unquoted InfluxQL identifiers. */
    private static final Pattern ILLEGAL = Pattern.compile("[^A-Za-z0-9_]");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Tells apart names from several test JVMs on the same broker (containers reused, parallel forks). */
    private static final String JVM_TAG = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36);

    private TestTopics() {
    }

    /**
     * {@code prefix_N_TAG}: N counts within this JVM, TAG is random per JVM. Only letters, digits and underscores,
     * so the name also works unquoted as an InfluxDB database: other characters of the prefix become underscores
     * ("chip-samples" gives "chip_samples_7_k3x9q1"), and a prefix not starting with a letter gets a "t".
     *
     * @param prefix says what the name is for, e.g. "samples"
     */
    public static String unique(String prefix) {
        String clean = ILLEGAL.matcher(prefix).replaceAll("_");
        if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
            clean = "t" + clean;
        }
        return clean + "_" + COUNTER.incrementAndGet() + "_" + JVM_TAG;
    }
}
