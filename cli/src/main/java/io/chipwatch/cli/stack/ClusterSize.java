package io.chipwatch.cli.stack;

/**
 * The size of the stack's scaled-out engines ({@code up --cluster}): how many Kafka brokers (each broker and KRaft
 * controller) and how many Flink TaskManagers beside the one JobManager. It also fixes how the jobs spread: each job
 * runs with parallelism {@link #parallelism()} (one subtask per TaskManager) and every TaskManager offers
 * {@link #slotsPerTaskManager()} slots, so that the TaskManagers left after one is lost still hold both jobs.
 *
 * @param brokers      Kafka brokers, {@value #MIN_BROKERS} to {@value #MAX_BROKERS} (replication factor 3 needs 3)
 * @param taskmanagers Flink TaskManagers, 1 to {@value #MAX_TASKMANAGERS}
 */
public record ClusterSize(int brokers, int taskmanagers) {
    public static final int DEFAULT_BROKERS = 3;
    public static final int DEFAULT_TASKMANAGERS = 2;
    static final int MIN_BROKERS = 3;
    static final int MAX_BROKERS = 9;
    static final int MAX_TASKMANAGERS = 8;
    /** Replicas of every topic; with {@link #MIN_INSYNC_REPLICAS} one broker may be lost without a write failing. */
    static final short REPLICATION_FACTOR = 3;
    static final int MIN_INSYNC_REPLICAS = 2;

    public ClusterSize {
        String problem = problem(brokers, taskmanagers);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with these sizes, naming the option ({@code --brokers}, {@code --taskmanagers}), or null. */
    public static String problem(int brokers, int taskmanagers) {
        if (brokers < MIN_BROKERS || brokers > MAX_BROKERS) {
            return "--brokers must be " + MIN_BROKERS + " to " + MAX_BROKERS + " (topics have " + REPLICATION_FACTOR
                    + " replicas), got " + brokers;
        }
        if (taskmanagers < 1 || taskmanagers > MAX_TASKMANAGERS) {
            return "--taskmanagers must be 1 to " + MAX_TASKMANAGERS + ", got " + taskmanagers;
        }
        return null;
    }

    /**
     * Each job's parallelism: one subtask of each operator per TaskManager ({@code taskmanagers}), so that adding
     * TaskManagers scales the jobs out (at most {@value #MAX_TASKMANAGERS}: the samples topic has 8 partitions).
     * After a TaskManager's loss the restarted subtasks all go to the survivors (their slots are enough, see
     * {@link #slotsPerTaskManager()}) and run again within seconds: ClusterChaosIT, docs/CLUSTER.md.
     */
    public int parallelism() {
        return taskmanagers;
    }

    /**
     * Slots of each TaskManager: both jobs, twice over ({@code 4 * parallelism}). Any one TaskManager holds both
     * jobs at full parallelism (2 * parallelism slots, the slot sharing group of each job needing one slot per
     * subtask index) with as many spare while the lost TaskManager's slots are still counted as free by the
     * ResourceManager (until its heartbeat fails), so the TaskManagers left after one is lost hold both jobs.
     */
    public int slotsPerTaskManager() {
        return 4 * parallelism();
    }
}
