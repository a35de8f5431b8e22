package io.chipwatch.jobs.testing;

import com.sun.management.OperatingSystemMXBean;
import org.apache.flink.api.common.JobExecutionResult;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The measuring loop of the whole-job benchmarks ({@code AggregationBenchmark}, {@code DetectionBenchmark}): one
 * unmeasured warm-up run, then {@code runs} runs of a bounded job, each reported as records per second of the job's
 * net runtime and records per CPU-second of the whole process (all of Flink's threads, GC and JIT included: the
 * figure to compare between two builds), then the medians.
 */
public final class CpuRuns {
    private CpuRuns() {
    }

    /** Runs {@code job} (which processes {@code records} records) once to warm up, then {@code runs} times. */
    public static void measure(long records, int runs, Callable<JobExecutionResult> job) throws Exception {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] netRates = new double[runs];
        double[] cpuRates = new double[runs];
        for (int run = 0; run <= runs; run++) {
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            JobExecutionResult result = job.call();
            double wallS = (System.nanoTime() - t0) / 1e9;
            double cpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
            double netS = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3;
            String label = run == 0 ? "warm-up" : "run " + run;
            System.out.printf("%-8s net %.2f s (wall %.2f s): %,.0f records/s; CPU %.2f s: %,.0f records per CPU-second%n",
                    label, netS, wallS, records / netS, cpuS, records / cpuS);
            if (run > 0) {
                netRates[run - 1] = records / netS;
                cpuRates[run - 1] = records / cpuS;
            }
        }
        System.out.printf("median of %d runs: %,.0f records/s, %,.0f records per CPU-second%n",
                runs, median(netRates), median(cpuRates));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
