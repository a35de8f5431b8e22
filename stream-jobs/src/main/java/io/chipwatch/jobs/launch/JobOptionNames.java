package io.chipwatch.jobs.launch;

/**
 * The spelling of every option both jobs take, for the picocli annotations that parse them
 * ({@link CommonJobOptions}) and the builders that write them ({@link JobArguments}): one name, one place. Plain
 * constants, so a launcher (the CLI) can use them without Flink or picocli on its class path.
 */
public final class JobOptionNames {
    public static final String BOOTSTRAP = "--bootstrap";
    public static final String TOPIC = "--topic";
    public static final String GROUP_ID = "--group-id";
    public static final String INFLUX_URL = "--influx-url";
    public static final String INFLUX_DB = "--influx-db";
    public static final String INFLUX_CREDENTIALS_FILE = "--influx-credentials-file";
    public static final String OUT_OF_ORDERNESS_MS = "--out-of-orderness-ms";
    public static final String IDLENESS_MS = "--idleness-ms";
    public static final String TICK_QUIET_MS = "--tick-quiet-ms";
    public static final String BOUNDED = "--bounded";
    public static final String PARALLELISM = "--parallelism";
    public static final String WEB_PORT = "--web-port";
    public static final String WEB_ADDRESS = "--web-address";
    public static final String CHECKPOINT_INTERVAL_MS = "--checkpoint-interval-ms";
    public static final String CHECKPOINT_DIR = "--checkpoint-dir";
    public static final String RESTORE_LATEST = "--restore-latest";
    public static final String METRICS_INTERVAL_MS = "--metrics-interval-ms";
    public static final String KAFKA_CREDENTIALS = "--kafka-credentials";

    private JobOptionNames() {
    }
}
