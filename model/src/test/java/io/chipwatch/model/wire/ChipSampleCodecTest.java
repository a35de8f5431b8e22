package io.chipwatch.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.wire.avro.ChipSampleV1;
import io.chipwatch.model.wire.avro.LinkKindV1;
import io.chipwatch.model.wire.avro.LinkLatencyV1;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

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
        CorruptionFuzz.assertOnlyWireFormatFailures(random, valid, codec::decode);
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

    // ---- The hand-written codec against Avro's own writers and readers: the schema file stays the truth. ----

    private static final String[] ALPHABETS = {"abcdefghijklmnopqrstuvwxyz0123456789-~", "äöüßé°µ", "\u4e2d\u6587",
            "\uD83D\uDE80", "\u0000\u007f\u0080\u07ff\u0800\uffff"};

    private static String randomString(Random r) {
        int len = r.nextInt(10) == 0 ? 0 : r.nextInt(r.nextInt(20) == 0 ? 300 : 24);
        String alphabet = ALPHABETS[r.nextInt(5) == 0 ? r.nextInt(ALPHABETS.length) : 0];
        StringBuilder b = new StringBuilder();
        while (b.length() < len) {
            int i = r.nextInt(alphabet.length());
            char c = alphabet.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < alphabet.length()) {
                b.append(c).append(alphabet.charAt(i + 1));
            } else if (!Character.isLowSurrogate(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static final double[] SPECIAL = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, 150.0, 4.062};
    private static final long[] SPECIAL_LONGS = {0, -1, 1, 63, 64, -64, -65, 8191, 8192, Long.MAX_VALUE,
            Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, 1_767_225_600_000L};

    private static double randomDouble(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> SPECIAL[r.nextInt(SPECIAL.length)];
            case 1 -> Double.longBitsToDouble(r.nextLong());
            default -> Math.round(r.nextDouble() * 500_000) / 1000.0;
        };
    }

    static ChipSample randomSample(Random r) {
        int links = r.nextInt(4) == 0 ? 0 : r.nextInt(r.nextInt(30) == 0 ? 200 : 9);
        List<LinkLatency> l = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            l.add(new LinkLatency(randomString(r), randomString(r), r.nextBoolean() ? LinkKind.INTRA : LinkKind.FABRIC,
                    randomDouble(r)));
        }
        long ts = r.nextInt(3) == 0 ? SPECIAL_LONGS[r.nextInt(SPECIAL_LONGS.length)]
                : r.nextInt(2) == 0 ? r.nextLong() : 1_767_225_600_000L + r.nextInt(1 << 30);
        return new ChipSample(ts, randomString(r), randomString(r), randomString(r), randomString(r),
                r.nextInt(3) == 0 ? null : randomString(r), randomDouble(r), randomDouble(r), randomDouble(r), l);
    }

    private static ChipSampleV1 toSpecific(ChipSample s) {
        List<LinkLatencyV1> links = new ArrayList<>();
        for (LinkLatency l : s.links()) {
            links.add(new LinkLatencyV1(l.link(), l.peer(), LinkKindV1.valueOf(l.kind().name()), l.latencyUs()));
        }
        return new ChipSampleV1(s.timestampMillis(), s.chip(), s.node(), s.rack(), s.pod(), s.job(), s.util(),
                s.tempC(), s.powerW(), links);
    }

    private static GenericRecord toGeneric(ChipSample s, Schema schema) {
        Schema linkSchema = schema.getField("links").schema().getElementType();
        Schema kindSchema = linkSchema.getField("kind").schema();
        GenericData.Array<GenericRecord> links = new GenericData.Array<>(s.links().size(), schema.getField("links").schema());
        for (LinkLatency l : s.links()) {
            GenericRecord lr = new GenericData.Record(linkSchema);
            lr.put("link", l.link());
            lr.put("peer", l.peer());
            lr.put("kind", new GenericData.EnumSymbol(kindSchema, l.kind().name()));
            lr.put("latencyUs", l.latencyUs());
            links.add(lr);
        }
        GenericRecord r = new GenericData.Record(schema);
        r.put("tsMillis", s.timestampMillis());
        r.put("chip", s.chip());
        r.put("node", s.node());
        r.put("rack", s.rack());
        r.put("pod", s.pod());
        r.put("job", s.job());
        r.put("util", s.util());
        r.put("tempC", s.tempC());
        r.put("powerW", s.powerW());
        r.put("links", links);
        return r;
    }

    private static byte[] envelope(ByteArrayOutputStream body) {
        byte[] b = body.toByteArray();
        byte[] out = new byte[b.length + 2];
        out[0] = ChipSampleCodec.MAGIC;
        out[1] = ChipSampleCodec.CURRENT_VERSION;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    private static byte[] avroSpecific(ChipSample s) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(body, null);
        new SpecificDatumWriter<>(ChipSampleV1.class).write(toSpecific(s), e);
        e.flush();
        return envelope(body);
    }

    /** The schema parsed from the .avsc file itself (not the generated class) with Avro's generic writer. */
    private static byte[] avroGeneric(ChipSample s, Schema schema, Encoder e, ByteArrayOutputStream body)
            throws IOException {
        new GenericDatumWriter<GenericRecord>(schema).write(toGeneric(s, schema), e);
        e.flush();
        return envelope(body);
    }

    private static Schema schemaFromFile() throws IOException {
        return new Schema.Parser().parse(new File("src/main/avro/chip_sample_v1.avsc"));
    }

    @Test
    void encodesByteForByteWhatAvrosSpecificAndGenericWritersWrite() throws IOException {
        Schema fromFile = schemaFromFile();
        assertThat(SchemaNormalization.toParsingForm(fromFile))
                .isEqualTo(SchemaNormalization.toParsingForm(ChipSampleV1.getClassSchema()));
        Random r = new Random(20260101);
        for (int i = 0; i < 20_000; i++) {
            ChipSample s = randomSample(r);
            byte[] ours = codec.encode(s);
            assertThat(ours).as("sample %d vs SpecificDatumWriter: %s", i, s).isEqualTo(avroSpecific(s));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] generic = avroGeneric(s, fromFile, EncoderFactory.get().binaryEncoder(body, null), body);
            assertThat(ours).as("sample %d vs GenericDatumWriter: %s", i, s).isEqualTo(generic);
        }
    }

    @Test
    void decodesWhatAvrosWritersWriteIncludingBlockedArrays() throws Exception {
        Schema fromFile = schemaFromFile();
        Random r = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            ChipSample s = randomSample(r);
            assertSameSample(codec.decode(avroSpecific(s)), s);
            // The blocking encoder writes arrays as several blocks with negative counts and byte sizes.
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Encoder blocking = new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(body, null);
            assertSameSample(codec.decode(avroGeneric(s, fromFile, blocking, body)), s);
        }
    }

    @Test
    void decodesLikeAvrosReaderOnValidInput() throws Exception {
        Random r = new Random(99);
        SpecificDatumReader<ChipSampleV1> reader = new SpecificDatumReader<>(ChipSampleV1.class);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = codec.encode(randomSample(r));
            ChipSampleV1 avro = reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 2, bytes.length - 2, null));
            assertThat(codec.encode(fromSpecific(avro))).isEqualTo(bytes);
            assertThat(codec.encode(codec.decode(bytes))).isEqualTo(bytes);
        }
    }

    private static ChipSample fromSpecific(ChipSampleV1 r) {
        List<LinkLatency> links = new ArrayList<>();
        for (LinkLatencyV1 l : r.getLinks()) {
            links.add(new LinkLatency(l.getLink(), l.getPeer(), LinkKind.valueOf(l.getKind().name()), l.getLatencyUs()));
        }
        return new ChipSample(r.getTsMillis(), r.getChip(), r.getNode(), r.getRack(), r.getPod(), r.getJob(),
                r.getUtil(), r.getTempC(), r.getPowerW(), links);
    }

    /** Records compare doubles with Double.compare, so NaN equals NaN; raw NaN bits are checked via the bytes. */
    private void assertSameSample(ChipSample decoded, ChipSample expected) {
        assertThat(decoded).isEqualTo(expected);
        assertThat(codec.encode(decoded)).isEqualTo(codec.encode(expected));
    }

    @Test
    void refusesToRunAgainstASchemaWhoseLayoutDrifted() throws IOException {
        ChipSampleCodec.checkSchema(schemaFromFile());
        String json = ChipSampleV1.getClassSchema().toString();
        // Two fields swapped, a field renamed, a type changed, an enum symbol added: each must be refused.
        List<String> drifted = List.of(
                json.replace("\"name\":\"tempC\"", "\"name\":\"TMP\"").replace("\"name\":\"util\"", "\"name\":\"tempC\"")
                        .replace("\"name\":\"TMP\"", "\"name\":\"util\""),
                json.replace("\"name\":\"pod\"", "\"name\":\"cluster\""),
                json.replace("{\"name\":\"util\",\"type\":\"double\"", "{\"name\":\"util\",\"type\":\"float\""),
                json.replace("\"FABRIC\"]", "\"FABRIC\",\"OPTICAL\"]"));
        for (String d : drifted) {
            assertThat(d).isNotEqualTo(json);
            Schema schema = new Schema.Parser().parse(d);
            assertThatThrownBy(() -> ChipSampleCodec.checkSchema(schema)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("update the codec");
        }
    }

    @Test
    void hugeLengthsAndCountsAreMalformedWithoutAllocating() {
        byte[] valid = codec.encode(sample("j"));
        // tsMillis, then a chip string whose length varint claims ~2^62 bytes.
        byte[] hugeString = {ChipSampleCodec.MAGIC, 1, 2, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
        assertReason(hugeString, WireFormatException.Reason.MALFORMED_BODY);
        // An 11-byte varint.
        byte[] longVarint = Arrays.copyOf(new byte[]{ChipSampleCodec.MAGIC, 1}, 14);
        Arrays.fill(longVarint, 2, 13, (byte) 0x80);
        assertReason(longVarint, WireFormatException.Reason.MALFORMED_BODY);
        assertThat(valid).isNotEmpty();
    }
}
