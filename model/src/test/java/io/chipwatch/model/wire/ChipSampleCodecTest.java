package io.chipwatch.model.wire;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class ChipSampleCodecTest {
    private final ChipSampleCodec codec = new ChipSampleCodec();

    private static ChipSample sample(String job) {
        return new ChipSample(1_764_000_000_123L, "p00-r01-n02-c03", "p00-r01-n02", "p00-r01", "p00", job,
                87.5, 71.25, 351.5, List.of(
                        new LinkLatency("p00-r01-n02-c00~c03", "p00-r01-n02-c00", LinkKind.INTRA, 2.125),
                        new LinkLatency("p00-r01-n02-c03~sw", "p00-r01-sw", LinkKind.FABRIC, 4.0625)));
    }

    @Test
    void roundTripsEveryField() throws Exception {
        ChipSample original = sample("job-7");
        assertThat(codec.decode(codec.encode(original))).isEqualTo(original);
    }

    @Test
    void roundTripsAnIdleChipWithoutJobOrLinks() throws Exception {
        ChipSample idle = new ChipSample(5L, "c", "n", "r", "p", null, 0, 30, 90, List.of());
        assertThat(codec.decode(codec.encode(idle))).isEqualTo(idle);
    }

    @Test
    void startsWithTheEnvelope() {
        byte[] bytes = codec.encode(sample(null));
        assertThat(bytes[0]).isEqualTo(ChipSampleCodec.MAGIC);
        assertThat(bytes[1]).isEqualTo(ChipSampleCodec.CURRENT_VERSION);
    }

    @Test
    void emptyOrNullIsEmpty() {
        assertReason(null, WireFormatException.Reason.EMPTY);
        assertReason(new byte[0], WireFormatException.Reason.EMPTY);
    }

    @Test
    void foreignBytesAreBadMagic() {
        assertReason("{\"chip\":\"x\"}".getBytes(), WireFormatException.Reason.BAD_MAGIC);
    }

    @Test
    void aNewerSchemaVersionIsUnknownVersion() {
        byte[] bytes = codec.encode(sample("j"));
        bytes[1] = 9;
        assertReason(bytes, WireFormatException.Reason.UNKNOWN_VERSION);
    }

    @Test
    void truncatedBodyIsMalformed() {
        byte[] bytes = codec.encode(sample("j"));
        assertReason(Arrays.copyOf(bytes, bytes.length / 2), WireFormatException.Reason.MALFORMED_BODY);
        assertReason(new byte[]{ChipSampleCodec.MAGIC}, WireFormatException.Reason.MALFORMED_BODY);
    }

    @Test
    void extraBytesAreTrailing() {
        byte[] bytes = codec.encode(sample("j"));
        assertReason(Arrays.copyOf(bytes, bytes.length + 3), WireFormatException.Reason.TRAILING_BYTES);
    }

    @Test
    void randomCorruptionNeverEscapesAsAnythingButWireFormatException() {
        Random random = new Random(42);
        byte[] valid = codec.encode(sample("job-1"));
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = Arrays.copyOf(valid, 2 + random.nextInt(valid.length));
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                int at = 2 + random.nextInt(bytes.length - 2 == 0 ? 1 : bytes.length - 2);
                if (at < bytes.length) {
                    bytes[at] = (byte) random.nextInt(256);
                }
            }
            try {
                codec.decode(bytes);
            } catch (WireFormatException expected) {
                assertThat(expected.reason()).isNotNull();
            } catch (Throwable t) {
                fail("input " + Arrays.toString(bytes) + " escaped as " + t);
            }
        }
        // The codec still works after all that garbage.
        try {
            assertThat(codec.decode(valid)).isEqualTo(sample("job-1"));
        } catch (WireFormatException e) {
            fail("valid input rejected: " + e);
        }
    }

    private void assertReason(byte[] bytes, WireFormatException.Reason reason) {
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .satisfies(e -> assertThat(((WireFormatException) e).reason()).isEqualTo(reason));
    }
}
