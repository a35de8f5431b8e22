package io.chipwatch.jobs.datatypes;

/**
 * A chip's four topology ids (chip, node, rack, pod) in {@code Topology}'s naming, {@code p03-r12-n05-c02} with node
 * {@code p03-r12-n05}, rack {@code p03-r12} and pod {@code p03}, packed into one {@code long}: what
 * {@link ChipReadingSerializer} sends over the detection job's node and rack shuffles instead of four strings.
 * Decoding returns the same shared {@link String} instances every time (a small cache), so a reading that crosses a
 * shuffle allocates no id strings.
 *
 * <p>The naming is recognised, not assumed: ids from any source (a real fleet, {@code --chips 0}) that are not
 * exactly of that form, or whose numbers do not fit, have no code ({@link #NONE}) and travel as strings. Each
 * number (0-4095) is kept with its digit count (1-7), so leading zeros come back as they were: decoding gives back
 * exactly the ids that were encoded.
 */
public final class TopologyCode {
    /** Returned by {@link #encode} when the ids are not in the topology's naming. */
    public static final long NONE = -1L;

    private static final int NUMBER_BITS = 12;
    private static final int MAX_NUMBER = (1 << NUMBER_BITS) - 1;
    private static final int MAX_WIDTH = 7;
    /** Bits per level: a 12-bit number and a 3-bit digit count. */
    private static final int LEVEL_BITS = NUMBER_BITS + 3;
    private static final char[] LETTERS = {'p', 'r', 'n', 'c'};

    /** 2^17 slots, two probed per code: 512 KB of references per JVM, shared by all its tasks. */
    private static final int SLOTS = 1 << 17;
    private static final Ids[] CACHE = new Ids[SLOTS];

    /** The decoded ids of one code; immutable (final fields), so publishing it through the cache needs no lock. */
    public static final class Ids {
        final long code;
        public final String chip;
        public final String node;
        public final String rack;
        public final String pod;

        Ids(long code, String chip, String node, String rack, String pod) {
            this.code = code;
            this.chip = chip;
            this.node = node;
            this.rack = rack;
            this.pod = pod;
        }
    }

    private TopologyCode() {
    }

    /**
     * The code of these ids, or {@link #NONE} if they are not one chip's ids in the topology's naming (any of them
     * null, another form, a number over 4095 or more than 7 digits).
     */
    public static long encode(String chip, String node, String rack, String pod) {
        if (chip == null || node == null || rack == null || pod == null) {
            return NONE;
        }
        long code = 0;
        int at = 0;
        int n = chip.length();
        for (int level = 0; level < 4; level++) {
            if (level > 0) {
                if (at >= n || chip.charAt(at) != '-') {
                    return NONE;
                }
                at++;
            }
            if (at >= n || chip.charAt(at) != LETTERS[level]) {
                return NONE;
            }
            at++;
            int start = at;
            int value = 0;
            while (at < n && at - start < MAX_WIDTH) {
                char ch = chip.charAt(at);
                if (ch < '0' || ch > '9') {
                    break;
                }
                value = value * 10 + (ch - '0');
                at++;
            }
            int width = at - start;
            if (width == 0 || value > MAX_NUMBER) {
                return NONE;
            }
            // The prefix up to here is this level's id: pod, rack, node, then the chip itself.
            String id = level == 0 ? pod : level == 1 ? rack : level == 2 ? node : chip;
            if (level < 3 && (id.length() != at || !chip.startsWith(id))) {
                return NONE;
            }
            code = (code << LEVEL_BITS) | ((long) width << NUMBER_BITS) | value;
        }
        return at == n ? code : NONE;
    }

    /** The ids of a code made by {@link #encode}, as shared instances. */
    public static Ids decode(long code) {
        int slot = slot(code);
        Ids hit = CACHE[slot];
        if (hit != null && hit.code == code) {
            return hit;
        }
        Ids other = CACHE[slot ^ 1];
        if (other != null && other.code == code) {
            return other;
        }
        Ids ids = build(code);
        CACHE[hit == null || other != null ? slot : slot ^ 1] = ids;
        return ids;
    }

    private static int slot(long code) {
        long h = code * 0x9E3779B97F4A7C15L;
        return (int) (h >>> (64 - 17));
    }

    private static Ids build(long code) {
        StringBuilder b = new StringBuilder(24);
        String[] ids = new String[4];
        for (int level = 0; level < 4; level++) {
            long bits = code >>> (LEVEL_BITS * (3 - level));
            int value = (int) (bits & MAX_NUMBER);
            int width = (int) ((bits >>> NUMBER_BITS) & 7);
            if (width == 0) {
                throw new IllegalArgumentException("not a topology code: " + code);
            }
            if (level > 0) {
                b.append('-');
            }
            b.append(LETTERS[level]);
            String digits = Integer.toString(value);
            for (int i = digits.length(); i < width; i++) {
                b.append('0');
            }
            b.append(digits);
            ids[level] = b.toString();
        }
        return new Ids(code, ids[3], ids[2], ids[1], ids[0]);
    }
}
