package io.chipwatch.model.wire;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.wire.avro.ChipSampleV1;
import io.chipwatch.model.wire.avro.LinkKindV1;
import org.apache.avro.Schema;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes {@link ChipSample}s in the Kafka wire format: a two-byte envelope
 * ({@link #MAGIC}, schema version) followed by the record in Avro binary encoding under that version's
 * schema ({@code model/src/main/avro/chip_sample_v1.avsc} for version 1).
 *
 * <p>The schema file is the source of truth; this class writes and reads Avro's binary encoding by hand, in the
 * schema's field order, because Avro's reflective {@code SpecificDatumWriter}/{@code Reader} cost ~10x more per
 * sample (a 100,000-chip tick is 100,000 samples a second). Two guards keep the hand-written code from drifting
 * from the schema: the class refuses to load when the generated schema's fields differ from the layout coded
 * here ({@link #checkSchema}), and {@code ChipSampleCodecTest} asserts byte-identical output against Avro's own
 * writers for many random samples.
 *
 * <p>Not thread-safe (it reuses a buffer); use one instance per thread or task.
 */
public final class ChipSampleCodec {
    /** First byte of every Chipwatch record value. */
    public static final byte MAGIC = Envelope.MAGIC;
    /** The schema version this codec writes. */
    public static final byte CURRENT_VERSION = 1;

    /** The layout coded below: record field name and Avro type, in schema order. */
    private static final String[][] SAMPLE_LAYOUT = {
            {"tsMillis", "long"}, {"chip", "string"}, {"node", "string"}, {"rack", "string"}, {"pod", "string"},
            {"job", "union[null,string]"}, {"util", "double"}, {"tempC", "double"}, {"powerW", "double"},
            {"links", "array"}};
    private static final String[][] LINK_LAYOUT = {
            {"link", "string"}, {"peer", "string"}, {"kind", "enum[INTRA,FABRIC]"}, {"latencyUs", "double"}};

    static {
        checkSchema(ChipSampleV1.getClassSchema());
    }

    private byte[] buf = new byte[512];
    private char[] chars = new char[64];
    private int pos;

    // Decoding state: the input and the read position.
    private byte[] in;
    private int at;
    private int end;

    /**
     * Throws {@link IllegalStateException} unless {@code schema} has exactly the field layout this codec writes:
     * the same names and types in the same order. Runs when the class loads, against the schema generated from
     * the .avsc file.
     */
    static void checkSchema(Schema schema) {
        checkRecord(schema, SAMPLE_LAYOUT);
        Schema links = schema.getField("links").schema();
        checkRecord(links.getElementType(), LINK_LAYOUT);
    }

    private static void checkRecord(Schema record, String[][] layout) {
        List<Schema.Field> fields = record.getFields();
        String[] actual = new String[fields.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = fields.get(i).name() + ":" + describe(fields.get(i).schema());
        }
        String[] expected = new String[layout.length];
        for (int i = 0; i < layout.length; i++) {
            expected[i] = layout[i][0] + ":" + layout[i][1];
        }
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalStateException("schema " + record.getFullName() + " has fields " + Arrays.toString(actual)
                    + " but ChipSampleCodec encodes " + Arrays.toString(expected) + ": update the codec with the schema");
        }
    }

    private static String describe(Schema s) {
        return switch (s.getType()) {
            case UNION -> {
                StringBuilder b = new StringBuilder("union[");
                for (Schema t : s.getTypes()) {
                    b.append(b.length() > 6 ? "," : "").append(describe(t));
                }
                yield b.append(']').toString();
            }
            case ENUM -> "enum[" + String.join(",", s.getEnumSymbols()) + "]";
            default -> s.getType().getName();
        };
    }

    /** Encodes a sample under the current schema version. */
    public byte[] encode(ChipSample sample) {
        pos = 0;
        ensure(2);
        buf[pos++] = MAGIC;
        buf[pos++] = CURRENT_VERSION;
        writeLong(sample.timestampMillis());
        writeString(sample.chip());
        writeString(sample.node());
        writeString(sample.rack());
        writeString(sample.pod());
        if (sample.job() == null) {
            writeLong(0);
        } else {
            writeLong(1);
            writeString(sample.job());
        }
        writeDouble(sample.util());
        writeDouble(sample.tempC());
        writeDouble(sample.powerW());
        List<LinkLatency> links = sample.links();
        int n = links.size();
        if (n > 0) {
            // One block holding every item, then the empty block that ends the array (Avro's direct encoding).
            writeLong(n);
            for (int i = 0; i < n; i++) {
                LinkLatency l = links.get(i);
                writeString(l.link());
                writeString(l.peer());
                writeLong(l.kind() == LinkKind.INTRA ? LinkKindV1.INTRA.ordinal() : LinkKindV1.FABRIC.ordinal());
                writeDouble(l.latencyUs());
            }
        }
        writeLong(0);
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    /** Avro long: zig-zag, then base-128 varint, low groups first. */
    private void writeLong(long v) {
        ensure(10);
        long n = (v << 1) ^ (v >> 63);
        byte[] b = buf;
        int p = pos;
        while ((n & ~0x7FL) != 0) {
            b[p++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        b[p++] = (byte) n;
        pos = p;
    }

    /** Avro double: the IEEE bits (raw, as Avro writes them), little-endian. */
    private void writeDouble(double d) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(d);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < 8; i++) {
            b[p++] = (byte) bits;
            bits >>>= 8;
        }
        pos = p;
    }

    /**
     * Avro string: byte length, then UTF-8. Ids are ASCII: their chars are copied out in bulk and narrowed to bytes
     * in one pass that also checks them; anything else goes through the UTF-8 encoder.
     */
    private void writeString(String s) {
        int len = s.length();
        ensure(10 + len);
        int start = pos;
        writeLong(len);
        if (chars.length < len) {
            chars = new char[Math.max(len, chars.length * 2)];
        }
        char[] cs = chars;
        s.getChars(0, len, cs, 0);
        byte[] b = buf;
        int p = pos;
        int any = 0;
        for (int i = 0; i < len; i++) {
            char c = cs[i];
            any |= c;
            b[p + i] = (byte) c;
        }
        if (any < 0x80) {
            pos = p + len;
            return;
        }
        pos = start;
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeLong(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buf, pos, utf8.length);
        pos += utf8.length;
    }

    /**
     * Decodes one record value.
     *
     * @throws WireFormatException with a {@link WireFormatException.Reason} when the bytes are not a valid sample
     */
    public ChipSample decode(byte[] bytes) throws WireFormatException {
        Envelope.checkMarker(bytes);
        if (bytes[1] != CURRENT_VERSION) {
            throw new WireFormatException(WireFormatException.Reason.UNKNOWN_VERSION,
                    "unknown schema version " + (bytes[1] & 0xFF) + "; this build reads version " + CURRENT_VERSION);
        }
        in = bytes;
        at = 2;
        end = bytes.length;
        try {
            long ts = readLong("tsMillis");
            String chip = readString("chip");
            String node = readString("node");
            String rack = readString("rack");
            String pod = readString("pod");
            long branch = readLong("job");
            String job;
            if (branch == 0) {
                job = null;
            } else if (branch == 1) {
                job = readString("job");
            } else {
                throw malformed("job: union branch " + branch + " out of range [0, 1]");
            }
            double util = readDouble("util");
            double tempC = readDouble("tempC");
            double powerW = readDouble("powerW");
            LinkLatency[] links = readLinks();
            if (at != end) {
                throw new WireFormatException(WireFormatException.Reason.TRAILING_BYTES,
                        (end - at) + " bytes left over after a complete version-1 sample");
            }
            return new ChipSample(ts, chip, node, rack, pod, job, util, tempC, powerW, List.of(links));
        } finally {
            in = null;
        }
    }

    /** The links array: blocks of items, each block a count (negative: followed by its byte size), ended by 0. */
    private LinkLatency[] readLinks() throws WireFormatException {
        LinkLatency[] links = new LinkLatency[0];
        int n = 0;
        while (true) {
            long count = readLong("links");
            if (count == 0) {
                return n == links.length ? links : Arrays.copyOf(links, n);
            }
            if (count < 0) {
                count = -count;
                long size = readLong("links");
                if (size < 0) {
                    throw malformed("links: negative block size " + size);
                }
            }
            // Each item takes at least 11 bytes (two empty strings, an enum index, a double): a count beyond what
            // is left is corrupt, and must not allocate.
            if (count < 0 || count > (end - at) / 11) {
                throw malformed("links: block of " + count + " items in " + (end - at) + " bytes");
            }
            int total = n + (int) count;
            if (total > links.length) {
                links = Arrays.copyOf(links, total);
            }
            for (int i = 0; i < count; i++) {
                String link = readString("links.link");
                String peer = readString("links.peer");
                long kind = readLong("links.kind");
                LinkKind k;
                if (kind == LinkKindV1.INTRA.ordinal()) {
                    k = LinkKind.INTRA;
                } else if (kind == LinkKindV1.FABRIC.ordinal()) {
                    k = LinkKind.FABRIC;
                } else {
                    throw malformed("links.kind: enum index " + kind + " out of range");
                }
                links[n++] = new LinkLatency(link, peer, k, readDouble("links.latencyUs"));
            }
        }
    }

    private long readLong(String field) throws WireFormatException {
        long n = 0;
        int shift = 0;
        while (true) {
            if (at >= end) {
                throw malformed(field + ": input ends inside a number");
            }
            int b = in[at++];
            n |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (n >>> 1) ^ -(n & 1);
            }
            shift += 7;
            if (shift > 63) {
                throw malformed(field + ": varint longer than 10 bytes");
            }
        }
    }

    private double readDouble(String field) throws WireFormatException {
        if (end - at < 8) {
            throw malformed(field + ": input ends inside a double");
        }
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = (bits << 8) | (in[at + i] & 0xFFL);
        }
        at += 8;
        return Double.longBitsToDouble(bits);
    }

    private String readString(String field) throws WireFormatException {
        long len = readLong(field);
        if (len < 0 || len > end - at) {
            throw malformed(field + ": string length " + len + " with " + (end - at) + " bytes left");
        }
        int l = (int) len;
        // JDK 17 copies pure ASCII without running the decoder.
        String s = new String(in, at, l, StandardCharsets.UTF_8);
        at += l;
        return s;
    }

    private static WireFormatException malformed(String what) {
        return new WireFormatException(WireFormatException.Reason.MALFORMED_BODY,
                "not a valid version-1 sample: " + what);
    }
}
