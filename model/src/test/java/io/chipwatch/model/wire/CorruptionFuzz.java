package io.chipwatch.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;

/** Test helper: feeds a codec truncated and bit-flipped copies of a valid record and checks how they fail. */
public final class CorruptionFuzz {
    /** A codec's decode method. */
    @FunctionalInterface
    public interface Decoder {
        Object decode(byte[] bytes) throws WireFormatException;
    }

    private CorruptionFuzz() {
    }

    /**
     * Decodes 20,000 random corruptions of {@code valid} (the envelope kept, the body truncated and up to four bytes
     * overwritten) and fails unless each either decodes or fails as a {@link WireFormatException} with a reason.
     */
    public static void assertOnlyWireFormatFailures(Random random, byte[] valid, Decoder decoder) {
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = Arrays.copyOf(valid, 2 + random.nextInt(valid.length));
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                int at = 2 + random.nextInt(Math.max(1, bytes.length - 2));
                if (at < bytes.length) {
                    bytes[at] = (byte) random.nextInt(256);
                }
            }
            try {
                decoder.decode(bytes);
            } catch (WireFormatException expected) {
                assertThat(expected.reason()).isNotNull();
            } catch (Throwable t) {
                fail("input " + Arrays.toString(bytes) + " escaped as " + t);
            }
        }
    }
}
