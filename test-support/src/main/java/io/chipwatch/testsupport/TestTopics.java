package io.chipwatch.testsupport;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Unique names for topics, consumer groups and databases, so tests sharing one broker or one InfluxDB never see
 * each other's data, whatever order they run in.
 */
public final class TestTopics {

    /** Legal in Kafka topic names and in InfluxQL identifiers without quotes. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Tells apart names from several test JVMs on the same broker (containers reused, parallel forks). */
    private static final String JVM_TAG = Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36);

    private TestTopics() {
    }

    /**
     * {@code prefix_N_TAG}: N counts within this JVM, TAG is random per JVM. Underscores rather than dashes, so the
     * name works unquoted as an InfluxDB database too.
     *
     * @param prefix letters, digits and underscores, starting with a letter (e.g. "samples")
     */
    public static String unique(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix must be letters, digits and underscores, starting with a "
                    + "letter; got '" + prefix + "'");
        }
        return prefix + "_" + COUNTER.incrementAndGet() + "_" + JVM_TAG;
    }
}
