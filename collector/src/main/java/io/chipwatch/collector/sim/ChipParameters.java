package io.chipwatch.collector.sim;

/**
 * The static parameters of every chip and node, drawn once from the seed, in primitive arrays indexed by chip
 * (or node) index: idle and full-load power, thermal resistance and time constant, utilisation bias, and with
 * chip variation on (docs/SIMULATOR.md) a per-chip power efficiency, the rare hot-but-healthy chip, and a
 * per-node inlet offset (position in the rack, fans).
 */
final class ChipParameters {
    static final long STREAM_CHIP_PARAMS = -1;
    static final long STREAM_NODE_PARAMS = -5;

    final double[] idleW;
    final double[] maxW;
    final double[] thermalResistance;
    final double[] tauS;
    final double[] alphaNominal;
    final double[] utilBias;
    /** Dynamic power multiplier: the same work costs this chip this much more (or less) power. */
    final double[] efficiency;
    /** Per node: how much warmer than its rack's inlet the node's air is, °C. */
    final double[] nodeInletOffsetC;

    ChipParameters(ClusterLayout layout, long seed, long intervalMillis, boolean variation) {
        int chips = layout.chipCount();
        Noise noise = new Noise();
        idleW = new double[chips];
        maxW = new double[chips];
        thermalResistance = new double[chips];
        tauS = new double[chips];
        alphaNominal = new double[chips];
        utilBias = new double[chips];
        efficiency = new double[chips];
        for (int c = 0; c < chips; c++) {
            noise.reset(seed, STREAM_CHIP_PARAMS, c);
            idleW[c] = noise.uniform(ChipPhysics.IDLE_W_MIN, ChipPhysics.IDLE_W_MAX);
            maxW[c] = noise.uniform(ChipPhysics.MAX_W_MIN, ChipPhysics.MAX_W_MAX);
            thermalResistance[c] = noise.uniform(ChipPhysics.THERMAL_RESISTANCE_MIN, ChipPhysics.THERMAL_RESISTANCE_MAX);
            tauS[c] = noise.uniform(ChipPhysics.TAU_S_MIN, ChipPhysics.TAU_S_MAX);
            alphaNominal[c] = ChipPhysics.lagAlpha(intervalMillis, tauS[c]);
            utilBias[c] = noise.uniform(-ChipPhysics.UTIL_BIAS_MAX, ChipPhysics.UTIL_BIAS_MAX);
            efficiency[c] = 1.0;
            if (variation) {
                // Drawn after the clean parameters, so that turning variation off changes nothing else.
                efficiency[c] = 1.0 + ChipPhysics.EFFICIENCY_SIGMA * noise.gaussian();
                thermalResistance[c] *= 1.0 + ChipPhysics.THERMAL_RESISTANCE_SIGMA * noise.gaussian();
                if (noise.uniform() < ChipPhysics.HOT_CHIP_P) {
                    thermalResistance[c] *= noise.uniform(ChipPhysics.HOT_CHIP_R_MIN, ChipPhysics.HOT_CHIP_R_MAX);
                }
            }
        }
        nodeInletOffsetC = new double[layout.nodeCount()];
        if (variation) {
            int perRack = layout.topology().shape().nodesPerRack();
            for (int n = 0; n < nodeInletOffsetC.length; n++) {
                noise.reset(seed, STREAM_NODE_PARAMS, n);
                // Warm air rises: the higher a node sits in its rack, the warmer its inlet; fans differ per node.
                double height = perRack > 1 ? (n % perRack) / (double) (perRack - 1) : 0.5;
                nodeInletOffsetC[n] = ChipPhysics.RACK_INLET_GRADIENT_C * height
                        + noise.uniform(-ChipPhysics.NODE_FAN_SPREAD_C, ChipPhysics.NODE_FAN_SPREAD_C);
            }
        }
    }
}
