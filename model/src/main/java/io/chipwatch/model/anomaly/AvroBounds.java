package io.chipwatch.model.anomaly;

import io.chipwatch.model.wire.WireFormatException;
import org.apache.avro.Schema;

/**
 * Walks Avro binary data under its writer schema and refuses it before Avro reads it when a length or an item count
 * exceeds the bytes that are left. Avro allocates a string's or a collection's announced size before reading it, so
 * a corrupt length of a few bytes (a varint of hundreds of MB) would end in an {@link OutOfMemoryError} rather than
 * a {@link WireFormatException}; found by {@code AnomalyDecodeFuzzTest}. Every item of the anomaly schemas takes at
 * least one byte, so a count beyond the bytes left is corrupt.
 */
final class AvroBounds {
    private final byte[] in;
    private final int end;
    private int at;

    private AvroBounds(byte[] in, int offset) {
        this.in = in;
        this.at = offset;
        this.end = in.length;
    }

    /**
     * Checks the datum at {@code offset} of {@code bytes}, written under {@code schema}.
     *
     * @throws WireFormatException {@code MALFORMED_BODY} when it ends early or announces more than is left
     */
    static void check(Schema schema, byte[] bytes, int offset) throws WireFormatException {
        new AvroBounds(bytes, offset).skip(schema, schema.getName());
    }

    private void skip(Schema s, String path) throws WireFormatException {
        switch (s.getType()) {
            case RECORD -> {
                for (Schema.Field f : s.getFields()) {
                    skip(f.schema(), f.name());
                }
            }
            case ENUM, INT, LONG -> readLong(path);
            case STRING, BYTES -> advance(length(path), path);
            case FIXED -> advance(s.getFixedSize(), path);
            case DOUBLE -> advance(8, path);
            case FLOAT -> advance(4, path);
            case BOOLEAN -> advance(1, path);
            case NULL -> {
            }
            case UNION -> {
                long branch = readLong(path);
                if (branch < 0 || branch >= s.getTypes().size()) {
                    throw malformed(path + ": union branch " + branch + " out of range");
                }
                skip(s.getTypes().get((int) branch), path);
            }
            case ARRAY -> blocks(path, () -> skip(s.getElementType(), path));
            case MAP -> blocks(path, () -> {
                advance(length(path), path);
                skip(s.getValueType(), path);
            });
        }
    }

    /** One item of an array or a map. */
    @FunctionalInterface
    private interface Item {
        void skip() throws WireFormatException;
    }

    /** Blocks of items, each a count (negative: followed by its byte size), ended by a zero count. */
    private void blocks(String path, Item item) throws WireFormatException {
        while (true) {
            long count = readLong(path);
            if (count == 0) {
                return;
            }
            if (count < 0) {
                count = -count;
                if (readLong(path) < 0) {
                    throw malformed(path + ": negative block size");
                }
            }
            if (count < 0 || count > end - at) {
                throw malformed(path + ": block of " + count + " items in " + (end - at) + " bytes");
            }
            for (long i = 0; i < count; i++) {
                item.skip();
            }
        }
    }

    private long length(String path) throws WireFormatException {
        long len = readLong(path);
        if (len < 0 || len > end - at) {
            throw malformed(path + ": length " + len + " with " + (end - at) + " bytes left");
        }
        return len;
    }

    private void advance(long n, String path) throws WireFormatException {
        if (n > end - at) {
            throw malformed(path + ": input ends early");
        }
        at += (int) n;
    }

    private long readLong(String path) throws WireFormatException {
        long n = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) {
                throw malformed(path + ": input ends inside a number");
            }
            int b = in[at++];
            n |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (n >>> 1) ^ -(n & 1);
            }
        }
        throw malformed(path + ": varint longer than 10 bytes");
    }

    private static WireFormatException malformed(String what) {
        return new WireFormatException(WireFormatException.Reason.MALFORMED_BODY, "not a valid anomaly: " + what);
    }
}
