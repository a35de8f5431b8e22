package io.chipwatch.model.anomaly;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.model.wire.CorruptionFuzz;
import io.chipwatch.model.wire.WireFormatException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnomalyCodecTest {
    private final AnomalyCodec codec = new AnomalyCodec();

    static Anomaly nodeDown() {
        return Anomaly.builder()
                .type(AnomalyType.NODE_DOWN)
                .entity("p00-r01-n02")
                .tag("node", "p00-r01-n02").tag("rack", "p00-r01").tag("pod", "p00").tag("job", "job-7")
                .startMillis(1_764_000_000_000L)
                .eventMillis(1_764_000_002_500L)
                .value(8).threshold(0)
                .detail("8 of 8 chips silent for 2.5 s")
                .affected(List.of("p00-r01-n02-c00", "p00-r01-n02-c01"))
                .build();
    }

    @Test
    void roundTripsAnOpenAnomaly() throws Exception {
        Anomaly open = nodeDown();
        Anomaly decoded = codec.decode(codec.encode(open));
        assertThat(decoded).isEqualTo(open);
        assertThat(decoded.endMillis()).isNull();
        assertThat(decoded.id()).isEqualTo("node_down:p00-r01-n02:1764000000000");
        assertThat(decoded.scope()).isEqualTo(Scope.NODE);
        assertThat(decoded.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void roundTripsItsCloseWithTheSameId() throws Exception {
        Anomaly closed = nodeDown().close(1_764_000_060_000L);
        Anomaly decoded = codec.decode(codec.encode(closed));
        assertThat(decoded).isEqualTo(closed);
        assertThat(decoded.id()).isEqualTo(nodeDown().id());
        assertThat(decoded.state()).isEqualTo(AnomalyState.CLOSED);
        assertThat(decoded.endMillis()).isEqualTo(1_764_000_060_000L);
    }

    @Test
    void roundTripsEveryTypeSeverityAndScopeAndANaNThreshold() throws Exception {
        for (AnomalyType type : AnomalyType.values()) {
            for (Severity severity : Severity.values()) {
                for (Scope scope : Scope.values()) {
                    Anomaly a = new Anomaly("id", type, severity, scope, "e", Map.of(), AnomalyState.OPEN, 1, null, 2,
                            -3.5, Double.NaN, "", List.of());
                    assertThat(codec.decode(codec.encode(a))).isEqualTo(a);
                }
            }
        }
    }

    @Test
    void roundTripsFactsAndLeavesOutValuesThatAreNotFinite() throws Exception {
        Anomaly a = Anomaly.builder().type(AnomalyType.OVERHEAT).entity("p00-r01-n02-c03").startMillis(1)
                .fact(Fact.TEMP_C, 71.25).fact(Fact.LIMIT_C, 95).fact(Fact.RISE_C_PER_S, Double.NaN)
                .build();
        assertThat(a.facts()).containsExactly(Map.entry("limit_c", 95.0), Map.entry("temp_c", 71.25));
        assertThat(a.fact(Fact.RISE_C_PER_S)).isEmpty();
        Anomaly decoded = codec.decode(codec.encode(a));
        assertThat(decoded).isEqualTo(a);
        assertThat(decoded.fact(Fact.TEMP_C)).hasValue(71.25);
        assertThat(decoded.close(5).facts()).isEqualTo(a.facts());
        assertThatThrownBy(() -> decoded.facts().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    /** A record as the codec wrote it before facts existed (schema 0x11), written here with that frozen schema. */
    static byte[] written0x11(Anomaly a) throws Exception {
        Schema schema;
        try (var in = AnomalyCodec.class.getResourceAsStream("anomaly-0x11.avsc")) {
            schema = new Schema.Parser().parse(in);
        }
        GenericData.Record r = new GenericData.Record(schema);
        r.put("id", a.id());
        r.put("type", new GenericData.EnumSymbol(schema.getField("type").schema(), a.type().name()));
        r.put("severity", new GenericData.EnumSymbol(schema.getField("severity").schema(), a.severity().name()));
        r.put("scope", new GenericData.EnumSymbol(schema.getField("scope").schema(), a.scope().name()));
        r.put("entity", a.entity());
        r.put("tags", a.tags());
        r.put("state", new GenericData.EnumSymbol(schema.getField("state").schema(), a.state().name()));
        r.put("startMillis", a.startMillis());
        r.put("endMillis", a.endMillis());
        r.put("eventMillis", a.eventMillis());
        r.put("value", a.value());
        r.put("threshold", a.threshold());
        r.put("detail", a.detail());
        r.put("affected", a.affected());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC7);
        out.write(0x11);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericData.Record>(schema).write(r, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void decodesAnomaliesWrittenBeforeFactsExistedWithNoFacts() throws Exception {
        Anomaly old = nodeDown().close(1_764_000_060_000L);
        Anomaly decoded = codec.decode(written0x11(old));
        assertThat(decoded).isEqualTo(old);
        assertThat(decoded.facts()).isEmpty();
        assertThat(decoded.detail()).isEqualTo("8 of 8 chips silent for 2.5 s");
    }

    @Test
    void everyTypeHasAFactContractWithKeysThatNameTheirUnit() {
        for (AnomalyType type : AnomalyType.values()) {
            if (type == AnomalyType.PIPELINE_DEGRADED) {
                // Two kinds of problem (a job behind, a component failing): each carries its own pair, all optional.
                assertThat(AnomalyFacts.optional(type)).containsExactly(Fact.LAG_S, Fact.LAG_LIMIT_S, Fact.FAILING_S,
                        Fact.FAILING_LIMIT_S);
                continue;
            }
            assertThat(AnomalyFacts.required(type)).as("required facts of %s", type).isNotEmpty();
        }
        assertThat(Fact.TEMP_C.key()).isEqualTo("temp_c");
        assertThat(Fact.TEMP_C.unit()).isEqualTo("°C");
        assertThat(Fact.fromKey("latency_us")).contains(Fact.LATENCY_US);
        for (Fact f : Fact.values()) {
            String k = f.key();
            String expected = k.endsWith("_c_per_s") ? "°C/s" : k.endsWith("_c") ? "°C" : k.endsWith("_w") ? "W"
                    : k.endsWith("_us") ? "µs"
                    : k.endsWith("_pct") ? "%" : k.endsWith("_s") ? "s" : null;
            if (expected != null) {
                assertThat(f.unit()).as("unit of %s", k).isEqualTo(expected);
            }
        }
    }

    @Test
    void labelsAreSnakeCase() {
        assertThat(AnomalyType.CHIP_DOWN.label()).isEqualTo("chip_down");
        assertThat(AnomalyType.RACK_COOLING.label()).isEqualTo("rack_cooling");
        assertThat(AnomalyType.fromLabel("link_flap")).contains(AnomalyType.LINK_FLAP);
        assertThat(AnomalyType.fromLabel("sensor_glitch")).isEmpty();
        assertThat(Severity.fromLabel("Warning")).contains(Severity.WARNING);
        assertThat(Scope.LINK.label()).isEqualTo("link");
    }

    @Test
    void invariantsAreChecked() {
        assertThatThrownBy(() -> new Anomaly("id", AnomalyType.OVERHEAT, Severity.CRITICAL, Scope.CHIP, "c",
                Map.of(), AnomalyState.OPEN, 1, 5L, 1, 0, 0, "", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("open");
        assertThatThrownBy(() -> new Anomaly("id", AnomalyType.OVERHEAT, Severity.CRITICAL, Scope.CHIP, "c",
                Map.of(), AnomalyState.CLOSED, 10, 5L, 1, 0, 0, "", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
        assertThatThrownBy(() -> new Anomaly(" ", AnomalyType.OVERHEAT, Severity.CRITICAL, Scope.CHIP, "c",
                Map.of(), AnomalyState.OPEN, 1, null, 1, 0, 0, "", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
        Anomaly a = nodeDown();
        assertThatThrownBy(() -> a.tags().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> a.affected().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void startsWithTheEnvelopeInTheAnomalyRange() {
        byte[] bytes = codec.encode(nodeDown());
        assertThat(bytes[0]).isEqualTo((byte) 0xC7);
        assertThat(bytes[1]).isEqualTo((byte) 0x12);
        assertThat(AnomalyCodec.key(nodeDown())).asString().isEqualTo(nodeDown().id());
    }

    @Test
    void aChipSampleIsRejectedAsAnotherSchema() {
        byte[] sample = new ChipSampleCodec().encode(new ChipSample(1, "c", "n", "r", "p", null, 1, 2, 3, List.of()));
        assertThatThrownBy(() -> codec.decode(sample))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("chip sample")
                .satisfies(e -> assertThat(((WireFormatException) e).reason())
                        .isEqualTo(WireFormatException.Reason.UNKNOWN_VERSION));
        // And the other way round: the chip-sample codec does not mistake an anomaly for a sample.
        assertThatThrownBy(() -> new ChipSampleCodec().decode(codec.encode(nodeDown())))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void badBytesHaveTypedReasons() {
        assertReason(null, WireFormatException.Reason.EMPTY);
        assertReason(new byte[0], WireFormatException.Reason.EMPTY);
        assertReason("{\"id\":1}".getBytes(), WireFormatException.Reason.BAD_MAGIC);
        assertReason(new byte[]{(byte) 0xC7}, WireFormatException.Reason.MALFORMED_BODY);
        byte[] bytes = codec.encode(nodeDown());
        assertReason(Arrays.copyOf(bytes, bytes.length / 2), WireFormatException.Reason.MALFORMED_BODY);
        assertReason(Arrays.copyOf(bytes, bytes.length + 2), WireFormatException.Reason.TRAILING_BYTES);
        byte[] newer = bytes.clone();
        newer[1] = 0x13;
        assertReason(newer, WireFormatException.Reason.UNKNOWN_VERSION);
    }

    /** Found by AnomalyDecodeFuzzTest: Avro allocated a corrupt length (here 1 GB) and ran out of memory. */
    @Test
    void aLengthBeyondTheRecordIsMalformedWithoutAllocatingIt() throws Exception {
        // The id's length as a zig-zag varint: 2^30 -> 2^31 = 0x80 0x80 0x80 0x80 0x08.
        byte[] hugeId = {(byte) 0xC7, 0x12, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'};
        assertThatThrownBy(() -> codec.decode(hugeId))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("id: length 1073741824 with 1 bytes left")
                .satisfies(e -> assertThat(((WireFormatException) e).reason())
                        .isEqualTo(WireFormatException.Reason.MALFORMED_BODY));
        byte[] crash = getClass().getResourceAsStream("AnomalyDecodeFuzzTestInputs/decode/crash-oom-tag-value-length")
                .readAllBytes();
        assertReason(crash, WireFormatException.Reason.MALFORMED_BODY);
        byte[] old = written0x11(nodeDown());
        byte[] manyTags = Arrays.copyOf(old, old.length);
        int tagsAt = 2 + 1 + nodeDown().id().length() + 3 + 1 + nodeDown().entity().length();
        manyTags[tagsAt] = (byte) 0xFE; // a block of 2^27 entries (zig-zag 0xFE 0xFF 0xFF 0x7F) in a few bytes
        manyTags[tagsAt + 1] = (byte) 0xFF;
        manyTags[tagsAt + 2] = (byte) 0xFF;
        manyTags[tagsAt + 3] = 0x7F;
        assertThatThrownBy(() -> codec.decode(manyTags))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("tags: block of 134217727 items");
    }

    @Test
    void randomCorruptionNeverEscapesAsAnythingButWireFormatException() {
        Random random = new Random(7);
        byte[] valid = codec.encode(nodeDown().close(1_764_000_100_000L));
        CorruptionFuzz.assertOnlyWireFormatFailures(random, valid, codec::decode);
    }

    private void assertReason(byte[] bytes, WireFormatException.Reason reason) {
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .satisfies(e -> assertThat(((WireFormatException) e).reason()).isEqualTo(reason));
    }
}
