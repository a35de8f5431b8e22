package io.chipwatch.collector.metrics;

import io.chipwatch.collector.sim.ClusterSimulator;
import io.chipwatch.model.topology.Chip;
import io.chipwatch.model.topology.Link;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntToDoubleFunction;

/**
 * Writes the simulated cluster's latest readings in the Prometheus text format (0.0.4) in dcgm-exporter's dialect,
 * so that anything that scrapes a DCGM exporter (Prometheus with the NVIDIA DCGM dashboard, the collector's own
 * {@code --source prometheus}) can scrape the simulator:
 * <pre>
 * DCGM_FI_DEV_GPU_UTIL{chip,node,rack,pod,gpu,UUID,Hostname,modelName,device}     utilisation, %
 * DCGM_FI_DEV_GPU_TEMP{…}                                                         die temperature, °C
 * DCGM_FI_DEV_POWER_USAGE{…}                                                      board power, W
 * chipwatch_link_latency_seconds{chip,node,rack,pod,link,peer,kind}               per link end, s
 * </pre>
 * dcgm-exporter's labels: {@code gpu} the chip's index on its node, {@code UUID} a stable {@code GPU-…} derived from
 * the chip id, {@code Hostname} the node id, {@code modelName} {@value #MODEL_NAME}, {@code device}
 * {@code nvidia<gpu>}. The whole shard ({@link #writeTo}) or one node ({@link #writeNode}, a per-node target as a
 * real fleet has one exporter per node; {@link #fileSd} lists them in Prometheus's {@code file_sd} format).
 * A silent chip (chip_down, node_down) has no series, like a dead exporter; a link missing from its chip's
 * sample (link_flap) has none either.
 *
 * <p>Reads the simulator's latest arrays directly and writes bytes into one reused buffer: no meter per series
 * (10,000 chips are 110,000 series), no allocation per line. Measured: Micrometer with one gauge per series
 * costs far more memory and scrape time; see {@code collector/README.md}. Not thread-safe: one scrape at a time
 * (callers synchronise).
 */
public final class ClusterExposition {
    private static final byte[] UTIL_HEADER = ascii("# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).\n"
            + "# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n");
    private static final byte[] TEMP_HEADER = ascii("# HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).\n"
            + "# TYPE DCGM_FI_DEV_GPU_TEMP gauge\n");
    private static final byte[] POWER_HEADER = ascii("# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).\n"
            + "# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n");
    private static final byte[] LINK_HEADER = ascii("# HELP chipwatch_link_latency_seconds Latency of a link "
            + "as measured at one end (in s).\n# TYPE chipwatch_link_latency_seconds gauge\n");
    private static final byte[] UTIL = ascii("DCGM_FI_DEV_GPU_UTIL{chip=\"");
    private static final byte[] TEMP = ascii("DCGM_FI_DEV_GPU_TEMP{chip=\"");
    private static final byte[] POWER = ascii("DCGM_FI_DEV_POWER_USAGE{chip=\"");
    private static final byte[] LINK = ascii("chipwatch_link_latency_seconds{chip=\"");
    /** The {@code modelName} label of every simulated chip. */
    public static final String MODEL_NAME = "Chipwatch simulated accelerator";

    private final ClusterSimulator simulator;
    private final List<Chip> chips;
    /** Per chip: the rest of its label set after chip=", i.e. {@code X",node="…",rack="…",pod="…",gpu=…}. */
    private final String[] chipLabels;
    /** Per chip: the short set its link series carry, {@code X",node="…",rack="…",pod="…"} (80,000 lines at 10,000 chips). */
    private final String[] linkLabels;
    private final String[] slotLinks;
    private final String[] slotPeers;
    private final String[] slotKinds;
    /** Per node of the shard: its chips' index range {from, to}. */
    private final Map<String, int[]> nodeRanges = new LinkedHashMap<>();
    private final Map<String, Chip> nodeFirstChip = new LinkedHashMap<>();
    private byte[] buf = new byte[1 << 16];
    private int pos;

    public ClusterExposition(ClusterSimulator simulator) {
        this.simulator = simulator;
        this.chips = simulator.topology().chips();
        int from = simulator.shardFrom();
        int to = simulator.shardTo();
        chipLabels = new String[chips.size()];
        linkLabels = new String[chips.size()];
        int slots = simulator.linkStart(chips.size());
        slotLinks = new String[slots];
        slotPeers = new String[slots];
        slotKinds = new String[slots];
        for (int c = from; c < to; c++) {
            Chip chip = chips.get(c);
            int index = c;
            int[] range = nodeRanges.computeIfAbsent(chip.node(), k -> new int[] {index, index});
            range[1] = c + 1;
            nodeFirstChip.putIfAbsent(chip.node(), chip);
            int gpu = c - range[0];
            linkLabels[c] = escape(chip.id()) + "\",node=\"" + escape(chip.node()) + "\",rack=\"" + escape(chip.rack())
                    + "\",pod=\"" + escape(chip.pod()) + "\"";
            chipLabels[c] = linkLabels[c] + ",gpu=\"" + gpu + "\",UUID=\"" + uuid(chip.id())
                    + "\",Hostname=\"" + escape(chip.node()) + "\",modelName=\"" + MODEL_NAME + "\",device=\"nvidia"
                    + gpu + "\"";
            int s = simulator.linkStart(c);
            for (Link l : chip.links()) {
                slotLinks[s] = escape(l.id());
                slotPeers[s] = escape(l.peerOf(chip.id()));
                slotKinds[s] = l.kind().label();
                s++;
            }
        }
    }

    /** Writes every series of the shard; returns the number of bytes written. */
    public int writeTo(OutputStream out) throws IOException {
        return write(out, simulator.shardFrom(), simulator.shardTo());
    }

    /** Writes the series of one node of the shard, as its own exporter would; -1 (nothing written) for another node. */
    public int writeNode(OutputStream out, String node) throws IOException {
        int[] range = nodeRanges.get(node);
        return range == null ? -1 : write(out, range[0], range[1]);
    }

    /** The shard's nodes. */
    public Set<String> nodes() {
        return Collections.unmodifiableSet(nodeRanges.keySet());
    }

    /**
     * A Prometheus {@code file_sd} file listing one target per node of the shard: {@code address} (host:port of
     * this endpoint) with labels pod, rack, node and {@code __metrics_path__} {@code /metrics/node/<node>}.
     */
    public String fileSd(String address) {
        StringBuilder b = new StringBuilder("[");
        for (Chip first : nodeFirstChip.values()) {
            b.append(b.length() > 1 ? ",\n" : "\n").append(" {\"targets\": [\"").append(json(address))
                    .append("\"], \"labels\": {\"pod\": \"").append(json(first.pod())).append("\", \"rack\": \"")
                    .append(json(first.rack())).append("\", \"node\": \"").append(json(first.node()))
                    .append("\", \"__metrics_path__\": \"/metrics/node/").append(json(first.node())).append("\"}}");
        }
        return b.append("\n]\n").toString();
    }

    private synchronized int write(OutputStream out, int from, int to) throws IOException {
        pos = 0;
        if (simulator.latestTimestampMillis() >= 0) {
            chipSeries(UTIL_HEADER, UTIL, from, to, simulator::latestUtil);
            chipSeries(TEMP_HEADER, TEMP, from, to, simulator::latestTemp);
            chipSeries(POWER_HEADER, POWER, from, to, simulator::latestPower);
            put(LINK_HEADER);
            for (int c = from; c < to; c++) {
                if (!simulator.latestReporting(c)) {
                    continue;
                }
                int end = simulator.linkStart(c + 1);
                for (int s = simulator.linkStart(c); s < end; s++) {
                    double v = simulator.latestLatency(s);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    put(LINK);
                    put(linkLabels[c]);
                    put(",link=\"");
                    put(slotLinks[s]);
                    put("\",peer=\"");
                    put(slotPeers[s]);
                    put("\",kind=\"");
                    put(slotKinds[s]);
                    put("\"} ");
                    // Microseconds with three decimals, exactly, then the exponent: seconds, as Prometheus asks.
                    number(v);
                    put("e-6");
                    putByte((byte) '\n');
                }
            }
        }
        out.write(buf, 0, pos);
        return pos;
    }

    /** One chip gauge: its header, then a line per reporting chip of the shard. */
    private void chipSeries(byte[] header, byte[] prefix, int from, int to, IntToDoubleFunction value) {
        put(header);
        for (int c = from; c < to; c++) {
            if (simulator.latestReporting(c)) {
                line(prefix, chipLabels[c], value.applyAsDouble(c));
            }
        }
    }

    private void line(byte[] prefix, String labels, double value) {
        put(prefix);
        put(labels);
        put("} ");
        number(value);
        putByte((byte) '\n');
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** Label values are escaped ASCII by construction (see {@link #escape}), so chars copy as bytes. */
    private void put(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            b[p++] = (byte) s.charAt(i);
        }
        pos = p;
    }

    private void putByte(byte b) {
        ensure(1);
        buf[pos++] = b;
    }

    /** Readings carry three decimals: write them exactly, shortest form, without Double.toString. */
    private void number(double v) {
        if (!(Math.abs(v) < 1e12)) {
            put(Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v));
            return;
        }
        long milli = Math.round(v * 1000.0);
        if (milli < 0) {
            putByte((byte) '-');
            milli = -milli;
        }
        long whole = milli / 1000;
        int frac = (int) (milli % 1000);
        ensure(24);
        if (whole == 0) {
            buf[pos++] = '0';
        } else {
            int start = pos;
            while (whole > 0) {
                buf[pos++] = (byte) ('0' + whole % 10);
                whole /= 10;
            }
            for (int i = start, j = pos - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
        }
        if (frac != 0) {
            buf[pos++] = '.';
            buf[pos++] = (byte) ('0' + frac / 100);
            if (frac % 100 != 0) {
                buf[pos++] = (byte) ('0' + frac / 10 % 10);
                if (frac % 10 != 0) {
                    buf[pos++] = (byte) ('0' + frac % 10);
                }
            }
        }
    }

    /** Prometheus label value escaping (backslash, quote, newline); non-ASCII as \\uXXXX would break, so '?'. */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : c >= 0x80 ? "?" : null;
            if (rep != null && b == null) {
                b = new StringBuilder(s.substring(0, i));
            }
            if (b != null) {
                b.append(rep != null ? rep : String.valueOf(c));
            }
        }
        return b == null ? s : b.toString();
    }

    /** A stable GPU UUID of a chip, as dcgm-exporter shows one ({@code GPU-} and a UUID). */
    static String uuid(String chipId) {
        return "GPU-" + UUID.nameUUIDFromBytes(chipId.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
