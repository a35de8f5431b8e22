package io.chipwatch.collector.source;

/** How a real source's GPU index becomes a chip id: {@code <node>-c<index as two digits>}, as the simulator names chips. */
public final class ChipIds {
    /** GPUs per node we accept (NVSwitch systems have 8 or 16; 99 keeps the two-digit id unambiguous). */
    public static final int MAX_GPU = 99;

    private ChipIds() {
    }

    /**
     * The chip id of GPU {@code gpu} of {@code node}.
     *
     * @throws IllegalArgumentException when {@code gpu} is not an integer 0-{@value #MAX_GPU}
     */
    public static String chipId(String node, String gpu) {
        int index;
        try {
            index = Integer.parseInt(gpu == null ? "" : gpu.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GPU index \"" + gpu + "\" is not an integer", e);
        }
        if (index < 0 || index > MAX_GPU) {
            throw new IllegalArgumentException("GPU index " + index + " is not 0-" + MAX_GPU);
        }
        return node + (index < 10 ? "-c0" : "-c") + index;
    }
}
