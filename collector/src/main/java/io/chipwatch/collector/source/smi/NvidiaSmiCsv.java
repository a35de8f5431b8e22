package io.chipwatch.collector.source.smi;

import io.chipwatch.collector.source.ChipIds;

import java.util.Objects;

/**
 * One line of {@code nvidia-smi --query-gpu=index,uuid,utilization.gpu,temperature.gpu,power.draw
 * --format=csv,noheader,nounits}: {@code 0, GPU-5c3e…, 87, 64, 312.45}. nvidia-smi writes {@code [N/A]} or
 * {@code [Not Supported]} where it has no value: such a field reads as NaN.
 *
 * @param index  the GPU's index on its node
 * @param uuid   its UUID
 * @param util   utilisation, %
 * @param tempC  temperature, °C
 * @param powerW power draw, W
 */
public record NvidiaSmiCsv(int index, String uuid, double util, double tempC, double powerW) {
    /** The query the source expects, in this column order. */
    public static final String QUERY = "index,uuid,utilization.gpu,temperature.gpu,power.draw";

    public NvidiaSmiCsv {
        Objects.requireNonNull(uuid, "uuid");
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException when it is not five comma-separated fields with an index 0-99
     */
    public static NvidiaSmiCsv parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("expected 5 fields (" + QUERY + "), got " + f.length + ": \"" + line
                    + "\"");
        }
        String index = f[0].trim();
        ChipIds.chipId("n", index);
        return new NvidiaSmiCsv(Integer.parseInt(index), f[1].trim(), number(f[2], "utilization.gpu"),
                number(f[3], "temperature.gpu"), number(f[4], "power.draw"));
    }

    private static double number(String field, String what) {
        String v = field.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            return Double.NaN;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-')) {
                throw new IllegalArgumentException(what + " \"" + v + "\" is not a number (use --format=csv,noheader,nounits)");
            }
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + v + "\" is not a number", e);
        }
    }
}
