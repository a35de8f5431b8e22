package io.chipwatch.cli.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.List;
import java.util.Map;

/**
 * What {@code ./telemetry bench} measured, as its table and its {@code --json} print it.
 *
 * @param commit   the checkout's commit (short hash, {@code +dirty} with uncommitted changes), or "unknown"
 * @param machine  cores, memory and OS of this machine
 * @param pipeline the Chipwatch stack at the asked chip count (its fields are at the top level of the JSON)
 * @param peer     Prometheus on the same cluster, measured after the pipeline; null without {@code --peer}
 * @param ratio    the pipeline's CPU-seconds per million values over the peer's per million samples; null without
 * @param catchUp  with {@code --outage}: how the jobs caught up after being stopped; null without
 * @param steps    with {@code --find-max}: every step, in order
 * @param maxChips with {@code --find-max}: the largest chip count that kept up; null without
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BenchReport(String commit, String machine, @JsonUnwrapped Pipeline pipeline, Peer peer, Double ratio,
                   CatchUp catchUp, List<Pipeline> steps, Integer maxChips) {

    /** CPU and memory of one process (with its descendants) over the measured window. */
    record Usage(double cpuSeconds, long peakRssMb, double cpuSecondsPerMillionValues) {
    }

    /**
     * Consumer-group lag of one job over the measured window (records of {@code chip-samples} not yet committed).
     *
     * @param startRecords median of the first third of the window's readings
     * @param endRecords   median of the last third
     * @param growing      the end is above the start by more than five seconds of samples
     */
    record Lag(long startRecords, long endRecords, double startSeconds, double endSeconds, boolean growing) {
    }

    /**
     * The pipeline's side: every component of the local stack except the collector, which is the telemetry source
     * (its cost is reported as {@code source}, as the peer's is).
     *
     * @param values                     metric values that entered Kafka in the window (each sample is 3 values
     *                                   and one per link end of the chip)
     * @param cpuSeconds                 CPU-seconds of all components but the source
     * @param cpuSecondsPerMillionValues {@code cpuSeconds} per million {@code values}
     * @param freshnessP50S              sample timestamp → its 10-second roll-up readable in InfluxDB, median (null
     *                                   when no window completed in the measured window)
     * @param keepingUp                  no job's lag grew over the window and at least one window was readable
     * @param deadLetters                records written to the dead-letter topic in the window
     */
    record Pipeline(int chips, double warmupS, double durationS, long values, double valuesPerSecond,
                    double cpuSeconds, double cpuSecondsPerMillionValues, Map<String, Usage> components,
                    Usage source, Double freshnessP50S, Double freshnessP99S, int windowsReadable,
                    boolean keepingUp, Map<String, Lag> lag, long deadLetters) {
    }

    /**
     * The peer's side: Prometheus scraping the same simulated cluster's {@code /metrics}.
     *
     * @param samples                      samples Prometheus appended to its TSDB in the window
     * @param scrapeIntervalS              its scrape (and rule evaluation) interval
     * @param cpuSecondsPerMillionSamples  its CPU-seconds per million {@code samples}
     * @param source                       the collector serving {@code /metrics} (and still publishing to Kafka)
     */
    record Peer(String name, double scrapeIntervalS, long samples, double cpuSeconds, long peakRssMb,
                double cpuSecondsPerMillionSamples, Usage source) {
    }

    /**
     * Both jobs stopped for {@code outageS}, then restarted: how long each took to be back to real time.
     *
     * @param restartS  how long {@code up} took to start both again (JVM start, checkpoint restore)
     * @param limitS    how long after the restart {@code bench} waited
     * @param jobs      per job: the backlog at the restart and seconds from the restart to real time (null: not
     *                  within the limit)
     * @param caughtUp  both jobs were back to real time within the limit
     */
    record CatchUp(double outageS, double restartS, double limitS, Map<String, Job> jobs, boolean caughtUp) {
        /** One job's backlog (records, and seconds of samples) and its catch-up time. */
        record Job(long backlogRecords, double backlogSeconds, Double catchUpS) {
        }
    }
}
