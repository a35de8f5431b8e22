package io.chipwatch.cli.capacity;

import io.chipwatch.cli.CommandRun;
import io.chipwatch.infra.LocalInfluxDb;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code capacity} against a real InfluxDB (the installed influxd, started by the infra module in a temporary folder)
 * holding seeded capacity roll-ups with known values: 1-hour points in {@code capacity_3y.chip_1h} and 1-minute
 * points in {@code capacity_90d.chip_1m}, written the way stream-jobs writes them (tags chip, node, rack, pod, job;
 * float field util_mean). Every number printed is checked exactly.
 */
class CapacityCommandIT {

    private static final String DB = "telemetry";
    private static final long DAY = 86_400_000L;
    /**
     * The seeded days are recent (the 1-minute points must be within capacity_90d's 90 days of the real clock), and
     * D0 is a multiple of 3 days since the epoch, so that 3-day steps start on it. D1 = D0 + 2 d, D2 = D0 + 3 d, and
     * the command runs at D0 + 5 d 12:30 UTC.
     */
    private static final long D0 = Math.floorDiv(System.currentTimeMillis() - 30 * DAY, 3 * DAY) * 3 * DAY;
    private static final Instant D1 = Instant.ofEpochMilli(D0 + 2 * DAY);
    private static final Instant D2 = Instant.ofEpochMilli(D0 + 3 * DAY);
    private static final Instant NOW = Instant.ofEpochMilli(D0 + 5 * DAY + 12 * 3_600_000L + 30 * 60_000L);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    static Path dataDir;
    private static LocalInfluxDb influxd;

    @BeforeAll
    static void seed() {
        influxd = LocalInfluxDb.builder().dataDir(dataDir).build().start();
        influxd.createDatabase(DB);
        try (InfluxDB client = InfluxDBFactory.connect(influxd.url())) {
            client.query(new Query("CREATE RETENTION POLICY \"capacity_3y\" ON \"" + DB + "\" DURATION 1095d REPLICATION 1", DB));
            client.query(new Query("CREATE RETENTION POLICY \"capacity_90d\" ON \"" + DB + "\" DURATION 90d REPLICATION 1", DB));
            BatchPoints hourly = BatchPoints.database(DB).retentionPolicy("capacity_3y").build();
            // Outside the window of --since 3d --step 1d (it starts at D1): counted only by the 3-day step test.
            hourly.point(chip("chip_1h", at(D1, -1, 0), "p00", "p00-r00-n00-c01", "j1", 100));
            // D1: p00 has c01 (job j1) at 80 and 60 %, c02 (no job) idle at 2 and 4 %; p01's c03 (j2) 50 and 3 %.
            hourly.point(chip("chip_1h", at(D1, 0, 0), "p00", "p00-r00-n00-c01", "j1", 80));
            hourly.point(chip("chip_1h", at(D1, 1, 0), "p00", "p00-r00-n00-c01", "j1", 60));
            hourly.point(chip("chip_1h", at(D1, 0, 0), "p00", "p00-r00-n00-c02", null, 2));
            hourly.point(chip("chip_1h", at(D1, 1, 0), "p00", "p00-r00-n00-c02", null, 4));
            hourly.point(chip("chip_1h", at(D1, 0, 0), "p01", "p01-r00-n00-c03", "j2", 50));
            hourly.point(chip("chip_1h", at(D1, 1, 0), "p01", "p01-r00-n00-c03", "j2", 3));
            // D2: one hour each.
            hourly.point(chip("chip_1h", at(D2, 10, 0), "p00", "p00-r00-n00-c01", "j1", 90));
            hourly.point(chip("chip_1h", at(D2, 10, 0), "p01", "p01-r00-n00-c03", "j2", 10));
            client.write(hourly);
            BatchPoints minutes = BatchPoints.database(DB).retentionPolicy("capacity_90d").build();
            minutes.point(chip("chip_1m", at(TODAY, 11, 0), "p00", "p00-r00-n00-c01", "j1", 40));
            minutes.point(chip("chip_1m", at(TODAY, 11, 1), "p00", "p00-r00-n00-c01", "j1", 50));
            minutes.point(chip("chip_1m", at(TODAY, 11, 2), "p00", "p00-r00-n00-c01", "j1", 60));
            minutes.point(chip("chip_1m", at(TODAY, 11, 0), "p00", "p00-r00-n00-c02", null, 1));
            client.write(minutes);
            // A database whose chip roll-ups have no job tag, as stream-jobs wrote them at first.
            influxd.createDatabase("nojob");
            client.query(new Query("CREATE RETENTION POLICY \"capacity_3y\" ON \"nojob\" DURATION 1095d REPLICATION 1", "nojob"));
            BatchPoints untagged = BatchPoints.database("nojob").retentionPolicy("capacity_3y").build();
            untagged.point(chip("chip_1h", at(D1, 0, 0), "p00", "p00-r00-n00-c01", null, 80));
            client.write(untagged);
        }
    }

    @AfterAll
    static void stop() {
        if (influxd != null) {
            influxd.stop();
        }
    }

    private static final Instant TODAY = Instant.ofEpochMilli(D0 + 5 * DAY);

    private static Instant at(Instant day, int hour, int minute) {
        return day.plusSeconds(hour * 3600L + minute * 60L);
    }

    private static String iso(Instant t) {
        return t.toString();
    }

    private static String table(Instant t) {
        return t.toString().substring(0, 16).replace('T', ' ');
    }

    private static Point chip(String measurement, Instant time, String pod, String chip, String job, double util) {
        Point.Builder p = Point.measurement(measurement)
                .time(time.toEpochMilli(), TimeUnit.MILLISECONDS)
                .tag("chip", chip).tag("node", chip.substring(0, 11)).tag("rack", chip.substring(0, 7)).tag("pod", pod)
                .addField("util_mean", util);
        if (job != null) {
            p.tag("job", job);
        }
        return p.build();
    }

    private static String run(String... args) {
        CommandRun run = CommandRun.execute(new CapacityCommand(influxd.url(), DB)
                .with(InfluxCapacitySource::new, CLOCK), args);
        assertThat(run.exit()).as(run.err()).isZero();
        return run.outLines();
    }

    @Test
    void dailyChipHoursByPodFromTheHourlyRollups() {
        assertThat(run("--by", "pod", "--since", "3d", "--step", "1d", "--format", "csv")).isEqualTo(
                "pod,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n"
                        + "p00," + iso(D1) + ",36.5,4,2,2,50\n"
                        + "p00," + iso(D2) + ",90,1,1,0,0\n"
                        + "p01," + iso(D1) + ",26.5,2,1,1,50\n"
                        + "p01," + iso(D2) + ",10,1,1,0,0\n");
    }

    @Test
    void byJobChipsInNoJobAreTheirOwnEntity() {
        assertThat(run("--by", "job", "--since", "3d", "--step", "1d", "--format", "json").replaceAll("\\s+", ""))
                .isEqualTo("{\"by\":\"job\",\"since\":\"3d\",\"step\":\"1d\",\"total\":false,\"resolution\":\"1h\","
                        + "\"source\":\"capacity_3y.chip_1h\",\"idleBelowPercent\":5,\"filter\":{},\"start\":\"" + iso(D1) + "\","
                        + "\"end\":\"" + iso(NOW) + "\",\"rows\":["
                        + "{\"entity\":\"j1\",\"start\":\"" + iso(D1) + "\",\"utilMeanPercent\":70,\"chipHours\":2,"
                        + "\"busyChipHours\":2,\"idleChipHours\":0,\"idlePercent\":0},"
                        + "{\"entity\":\"j1\",\"start\":\"" + iso(D2) + "\",\"utilMeanPercent\":90,\"chipHours\":1,"
                        + "\"busyChipHours\":1,\"idleChipHours\":0,\"idlePercent\":0},"
                        + "{\"entity\":\"j2\",\"start\":\"" + iso(D1) + "\",\"utilMeanPercent\":26.5,\"chipHours\":2,"
                        + "\"busyChipHours\":1,\"idleChipHours\":1,\"idlePercent\":50},"
                        + "{\"entity\":\"j2\",\"start\":\"" + iso(D2) + "\",\"utilMeanPercent\":10,\"chipHours\":1,"
                        + "\"busyChipHours\":1,\"idleChipHours\":0,\"idlePercent\":0},"
                        + "{\"entity\":null,\"start\":\"" + iso(D1) + "\",\"utilMeanPercent\":3,\"chipHours\":2,"
                        + "\"busyChipHours\":0,\"idleChipHours\":2,\"idlePercent\":100}]}");
    }

    @Test
    void byJobSaysSoWhenTheChipRollupsHaveNoJobTag() {
        CommandRun run = CommandRun.execute(new CapacityCommand().with(InfluxCapacitySource::new, CLOCK),
                "--by", "job", "--since", "3d", "--influx-url", influxd.url(), "--database", "nojob");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("--by job needs the tag job on capacity_3y.chip_1h, which has only chip, "
                + "node, pod, rack");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void dailyByRackAsAnAlignedTable() {
        assertThat(run("--by", "rack", "--since", "3d", "--step", "1d")).isEqualTo(
                "Capacity by rack from " + table(D1) + " to " + table(NOW) + " UTC, step 1d, from capacity_3y.chip_1h "
                        + "(1h roll-ups); idle: util_mean < 5 %\n"
                        + "RACK     START             UTIL_MEAN_%  CHIP_HOURS  BUSY_CHIP_HOURS  IDLE_CHIP_HOURS  IDLE_%\n"
                        + "p00-r00  " + table(D1) + "         36.5         4.0              2.0              2.0    50.0\n"
                        + "p00-r00  " + table(D2) + "         90.0         1.0              1.0              0.0     0.0\n"
                        + "p01-r00  " + table(D1) + "         26.5         2.0              1.0              1.0    50.0\n"
                        + "p01-r00  " + table(D2) + "         10.0         1.0              1.0              0.0     0.0\n");
    }

    @Test
    void stepsAreAlignedToMultiplesOfTheStepSinceTheEpochAsInInfluxDb() {
        // D0 is a multiple of 3 days since 1970-01-01: --since 3d from NOW (D0 + 5 d 12:30) starts there, and takes
        // in the hour before D1.
        assertThat(run("--by", "pod", "--since", "3d", "--step", "3d", "--format", "csv")).isEqualTo(
                "pod,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n"
                        + "p00," + iso(Instant.ofEpochMilli(D0)) + ",49.2,5,3,2,40\n"
                        + "p00," + iso(D2) + ",90,1,1,0,0\n"
                        + "p01," + iso(Instant.ofEpochMilli(D0)) + ",26.5,2,1,1,50\n"
                        + "p01," + iso(D2) + ",10,1,1,0,0\n");
    }

    @Test
    void shortRangesUseTheMinuteRollupsAndCountChipHoursInSixtieths() {
        assertThat(run("--by", "pod", "--since", "2h", "--step", "1h", "--format", "csv")).isEqualTo(
                "pod,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n"
                        + "p00," + iso(at(TODAY, 11, 0)) + ",37.75,0.066667,0.05,0.016667,25\n");
    }

    @Test
    void aHigherIdleThresholdCountsMoreIdleHours() {
        assertThat(run("--by", "pod", "--since", "3d", "--step", "1d", "--idle-below", "12.5", "--format", "csv"))
                .isEqualTo("pod,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n"
                        + "p00," + iso(D1) + ",36.5,4,2,2,50\n"
                        + "p00," + iso(D2) + ",90,1,1,0,0\n"
                        + "p01," + iso(D1) + ",26.5,2,1,1,50\n"
                        + "p01," + iso(D2) + ",10,1,0,1,100\n");
    }

    /** {@code --since 4d --total} starts at NOW - 4 d (D0 + 1 d 12:30): every hourly point seeded is in it. */
    private static final Instant FOUR_DAYS_BACK = NOW.minusSeconds(4 * 86_400L);

    @Test
    void byJobOverTheWholeWindowChipHoursBusyAndIdle() {
        // j1: c01 at 100, 80, 60, 90 %: 4 chip-hours, none idle. j2: c03 at 50, 3 and 10 %: 3 chip-hours, the 3 %
        // hour idle (allocated to j2, under 5 %). (none): c02, in no job, at 2 and 4 %: both idle.
        assertThat(run("--by", "job", "--since", "4d", "--total", "-o", "csv")).isEqualTo(
                "job,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n"
                        + "j1," + iso(FOUR_DAYS_BACK) + ",82.5,4,4,0,0\n"
                        + "j2," + iso(FOUR_DAYS_BACK) + ",21,3,2,1,33.333333\n"
                        + "(none)," + iso(FOUR_DAYS_BACK) + ",3,2,0,2,100\n");
        assertThat(run("--by", "job", "--since", "4d", "--total")).isEqualTo(
                "Capacity by job from " + table(FOUR_DAYS_BACK) + " to " + table(NOW) + " UTC, whole window, from "
                        + "capacity_3y.chip_1h (1h roll-ups); idle: util_mean < 5 %\n"
                        + "JOB     START             UTIL_MEAN_%  CHIP_HOURS  BUSY_CHIP_HOURS  IDLE_CHIP_HOURS  IDLE_%\n"
                        + "j1      " + table(FOUR_DAYS_BACK) + "         82.5         4.0              4.0              0.0     0.0\n"
                        + "j2      " + table(FOUR_DAYS_BACK) + "         21.0         3.0              2.0              1.0    33.3\n"
                        + "(none)  " + table(FOUR_DAYS_BACK) + "          3.0         2.0              0.0              2.0   100.0\n");
    }

    @Test
    void podRackAndJobFiltersKeepOnlyThoseChips() {
        String header = "job,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n";
        assertThat(run("--by", "job", "--since", "4d", "--total", "--pod", "p01", "-o", "csv")).isEqualTo(
                header + "j2," + iso(FOUR_DAYS_BACK) + ",21,3,2,1,33.333333\n");
        assertThat(run("--by", "job", "--since", "4d", "--total", "--rack", "p00-r00", "-o", "csv")).isEqualTo(
                header + "j1," + iso(FOUR_DAYS_BACK) + ",82.5,4,4,0,0\n"
                        + "(none)," + iso(FOUR_DAYS_BACK) + ",3,2,0,2,100\n");
        assertThat(run("--by", "job", "--since", "4d", "--total", "--job", "j1", "--job", "j2", "--pod", "p00",
                "-o", "csv")).isEqualTo(header + "j1," + iso(FOUR_DAYS_BACK) + ",82.5,4,4,0,0\n");
        // A filter works with steps and other groupings too: p00's chips in j1, per day.
        assertThat(run("--by", "pod", "--since", "3d", "--step", "1d", "--job", "j1", "-o", "csv")).isEqualTo(
                "pod,start,util_mean_percent,chip_hours,busy_chip_hours,idle_chip_hours,idle_percent\n"
                        + "p00," + iso(D1) + ",70,2,2,0,0\n"
                        + "p00," + iso(D2) + ",90,1,1,0,0\n");
        // A name with a quote is a literal, not InfluxQL.
        assertThat(run("--by", "job", "--since", "4d", "--total", "--job", "j1' OR 'x'='x", "-o", "csv"))
                .isEqualTo(header);
    }
}
