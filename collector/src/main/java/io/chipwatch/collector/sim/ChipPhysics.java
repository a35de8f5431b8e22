package io.chipwatch.collector.sim;

/**
 * The physical model of one chip, as pure functions of its parameters and state: board power from
 * utilisation, die temperature as a first-order lag towards inlet air plus a thermal resistance times power,
 * and link latency as a nominal value scaled by load with positive jitter.
 *
 * <p>The ranges of the per-chip and per-link parameters live here too, so that the whole model can be read
 * (and later, faults can be reasoned about) in one place. Values follow CONTRACTS.md §1: ~90 W idle, ~400 W at
 * full load, 70-85 °C at full load, tens of seconds of thermal time constant, ~4 µs fabric latency.
 */
public final class ChipPhysics {
    /** Idle board power range, W. */
    public static final double IDLE_W_MIN = 86, IDLE_W_MAX = 96;
    /** Board power at 100 % utilisation, W. */
    public static final double MAX_W_MIN = 390, MAX_W_MAX = 402;
    /** Standard deviation of power readings around the model, W (bounded to about ±3.5 σ). */
    public static final double POWER_NOISE_W = 1.5;
    /** Thermal resistance die-to-inlet, °C per W: 400 W over ~27 °C inlet gives ~75-81 °C. */
    public static final double THERMAL_RESISTANCE_MIN = 0.120, THERMAL_RESISTANCE_MAX = 0.135;
    /** Thermal time constant range, s. */
    public static final double TAU_S_MIN = 25, TAU_S_MAX = 35;
    /** Standard deviation of the temperature sensor's noise, °C; the sensor does not heat the chip. */
    public static final double TEMP_SENSOR_NOISE_C = 0.1;
    /** Per-rack inlet air temperature range, °C, before the slow daily drift. */
    public static final double INLET_C_MIN = 24.5, INLET_C_MAX = 28.5;
    /** Amplitude of the daily inlet drift, °C. */
    public static final double INLET_DAILY_SWING_C = 1.0;
    /** Per-chip static offset of busy utilisation, percentage points at 100 %: chips are not all alike. */
    public static final double UTIL_BIAS_MAX = 1.0;
    /** Nominal intra-node link latency range, µs. */
    public static final double INTRA_US_MIN = 1.7, INTRA_US_MAX = 2.1;
    /** Nominal fabric link latency range, µs: the cluster's headline ~4 µs. */
    public static final double FABRIC_US_MIN = 3.6, FABRIC_US_MAX = 4.0;
    /** Mean relative jitter of a latency reading (exponentially distributed, so only upwards). */
    public static final double LATENCY_JITTER = 0.02;
    /** Probability that one latency reading catches a microburst, and how much it multiplies latency by. */
    public static final double LATENCY_BURST_P = 0.001, LATENCY_BURST_MIN = 1.5, LATENCY_BURST_MAX = 3.0;

    // ---- Chip variation (docs/SIMULATOR.md "Chip-to-chip variation") ----
    /** Standard deviation of a chip's dynamic power efficiency (binning, voltage-frequency curve): ~2 %. */
    public static final double EFFICIENCY_SIGMA = 0.02;
    /** Standard deviation of the extra spread of thermal resistance (thermal paste, heatsink mounting): ~3 %. */
    public static final double THERMAL_RESISTANCE_SIGMA = 0.03;
    /** Share of chips that run noticeably hotter at the same load while healthy (one in a few hundred) ... */
    public static final double HOT_CHIP_P = 1.0 / 300;
    /** ... by this factor on their thermal resistance: 8-14 °C hotter at full load. */
    public static final double HOT_CHIP_R_MIN = 1.20, HOT_CHIP_R_MAX = 1.35;
    /** Inlet air at the top node of a rack is this much warmer than at the bottom one, °C. */
    public static final double RACK_INLET_GRADIENT_C = 2.0;
    /** Per-node inlet offset from its fans and airflow, ± °C (uniform). */
    public static final double NODE_FAN_SPREAD_C = 0.75;

    // ---- Normal look-alikes (docs/SIMULATOR.md) ----
    /** Die temperature above which the firmware slows the clocks down (thermal slowdown), °C ... */
    public static final double SLOWDOWN_C = 87.0;
    /** ... to this fraction of the dynamic power, for as long as the die stays above it. */
    public static final double SLOWDOWN_POWER_FACTOR = 0.85;
    /** Ripple of power held at a firmware cap, W (standard deviation). */
    public static final double CAP_RIPPLE_W = 0.6;

    private static final long DAY_MILLIS = 86_400_000L;

    private ChipPhysics() {
    }

    /** Board power at {@code util} percent, before noise. Linear in utilisation, as DVFS-free chips roughly are. */
    public static double power(double idleW, double maxW, double util) {
        return idleW + (maxW - idleW) * util / 100.0;
    }

    /**
     * Board power at {@code util} percent with a power factor (dynamic power per utilisation point relative to a
     * compute-bound load, {@link Demand#powerFactor()}) and the chip's efficiency, before noise.
     */
    public static double power(double idleW, double maxW, double util, double powerFactor) {
        return idleW + (maxW - idleW) * util / 100.0 * powerFactor;
    }

    /** A reading as an integer-reporting source gives it (dcgm-exporter: temperature and utilisation in whole units). */
    public static double whole(double x) {
        return Math.rint(x);
    }

    /** The temperature the die settles at when drawing {@code powerW} with this inlet and thermal resistance. */
    public static double steadyTemperature(double inletC, double thermalResistance, double powerW) {
        return inletC + thermalResistance * powerW;
    }

    /** Fraction of the gap to the steady temperature closed in {@code dtMillis}: {@code 1 - exp(-dt / tau)}. */
    public static double lagAlpha(long dtMillis, double tauS) {
        return -Math.expm1(-dtMillis / 1000.0 / tauS);
    }

    /** One first-order lag step of the die temperature towards {@code steadyC}. */
    public static double temperatureStep(double tempC, double steadyC, double alpha) {
        return tempC + alpha * (steadyC - tempC);
    }

    /** Inlet temperature of a rack at an instant: its base plus a slow daily swing shared by the hall. */
    public static double inlet(double baseC, long timestampMillis, double dailyPhase) {
        double dayFraction = Math.floorMod(timestampMillis, DAY_MILLIS) / (double) DAY_MILLIS;
        return baseC + INLET_DAILY_SWING_C * Math.sin(2 * Math.PI * dayFraction + dailyPhase);
    }

    /** Rounds to 3 decimals: enough resolution for every reading, and compact, stable JSON. */
    public static double round3(double x) {
        return Math.round(x * 1000.0) / 1000.0;
    }

    /** Clamps to [lo, hi]. */
    public static double clamp(double x, double lo, double hi) {
        return x < lo ? lo : (x > hi ? hi : x);
    }
}
