package io.chipwatch.model.anomaly;

import io.chipwatch.model.anomaly.avro.AnomalyStateV1;
import io.chipwatch.model.anomaly.avro.AnomalyTypeV1;
import io.chipwatch.model.anomaly.avro.AnomalyV1;
import io.chipwatch.model.anomaly.avro.ScopeV1;
import io.chipwatch.model.anomaly.avro.SeverityV1;
import io.chipwatch.model.wire.ChipSampleCodec;
import io.chipwatch.model.wire.Envelope;
import io.chipwatch.model.wire.WireFormatException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes and decodes {@link Anomaly} events in the Kafka wire format of the topic {@value Anomaly#TOPIC}: the
 * Chipwatch two-byte envelope ({@link ChipSampleCodec#MAGIC} {@code 0xC7}, schema id) followed by the record in
 * Avro binary encoding ({@code model/src/main/avro/anomaly_v1.avsc}).
 *
 * <p><b>Schema ids.</b> All Chipwatch records share the marker byte; the second byte names the schema, and each
 * record kind has its own range so that a record read from the wrong topic is recognised as such:
 * {@code 0x01-0x0F} chip samples ({@code 0x01} = ChipSampleV1), {@code 0x11-0x1F} anomalies ({@link #CURRENT_VERSION}
 * {@code 0x12} = AnomalyV1 with its facts). A chip sample handed to this codec fails with
 * {@link WireFormatException.Reason#UNKNOWN_VERSION} and a message saying what it is.
 *
 * <p><b>Older anomalies.</b> Avro binary carries no schema, so a record is read with the schema it was written
 * with: {@link #V1_NO_FACTS} {@code 0x11} records (written before {@link Anomaly#facts()} existed) are read with
 * that frozen schema ({@code anomaly-0x11.avsc}) resolved to the current one, and decode with no facts. This
 * codec writes {@code 0x12}; a reader built before it rejects those as "a newer anomaly schema", so deploy the
 * readers (alerting) before the writer (the detection job).
 *
 * <p>Bad bytes always end in a {@link WireFormatException} with a reason, never another exception (nor an
 * {@link OutOfMemoryError}: lengths beyond the record's bytes are refused before Avro allocates them); a body that
 * parses but breaks an {@link Anomaly} invariant (an open event with an end, a blank id) is
 * {@link WireFormatException.Reason#MALFORMED_BODY}.
 *
 * <p>Not thread-safe (it reuses buffers); use one instance per thread or task.
 */
public final class AnomalyCodec {
    /** First byte of every Chipwatch record value (the same as chip samples'). */
    public static final byte MAGIC = ChipSampleCodec.MAGIC;
    /** The schema id this codec writes (and reads): 0x12, AnomalyV1 with facts. */
    public static final byte CURRENT_VERSION = 0x12;
    /** The schema id of anomalies without facts, still read: 0x11, the first of the anomaly range 0x11-0x1F. */
    public static final byte V1_NO_FACTS = 0x11;
    private static final Schema SCHEMA_0X11 = frozenSchema("anomaly-0x11.avsc");

    private final SpecificDatumWriter<AnomalyV1> writer = new SpecificDatumWriter<>(AnomalyV1.class);
    private final SpecificDatumReader<AnomalyV1> reader = new SpecificDatumReader<>(AnomalyV1.class);
    private final SpecificDatumReader<AnomalyV1> readerOf0x11 =
            new SpecificDatumReader<>(SCHEMA_0X11, AnomalyV1.getClassSchema());
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    /** The Kafka record key of an anomaly: its id in UTF-8. */
    public static byte[] key(Anomaly anomaly) {
        return anomaly.id().getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes an anomaly event under the current schema. */
    public byte[] encode(Anomaly anomaly) {
        AnomalyV1 record = AnomalyV1.newBuilder()
                .setId(anomaly.id())
                .setType(AnomalyTypeV1.valueOf(anomaly.type().name()))
                .setSeverity(SeverityV1.valueOf(anomaly.severity().name()))
                .setScope(ScopeV1.valueOf(anomaly.scope().name()))
                .setEntity(anomaly.entity())
                .setTags(new LinkedHashMap<>(anomaly.tags()))
                .setState(AnomalyStateV1.valueOf(anomaly.state().name()))
                .setStartMillis(anomaly.startMillis())
                .setEndMillis(anomaly.endMillis())
                .setEventMillis(anomaly.eventMillis())
                .setValue(anomaly.value())
                .setThreshold(anomaly.threshold())
                .setDetail(anomaly.detail())
                .setAffected(anomaly.affected())
                .setFacts(new LinkedHashMap<>(anomaly.facts()))
                .build();
        buffer.reset();
        buffer.write(MAGIC);
        buffer.write(CURRENT_VERSION);
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory encoding failed", e);
        }
        return buffer.toByteArray();
    }

    /**
     * Decodes one record value.
     *
     * @throws WireFormatException with a {@link WireFormatException.Reason} when the bytes are not a valid anomaly
     */
    public Anomaly decode(byte[] bytes) throws WireFormatException {
        Envelope.checkMarker(bytes);
        if (bytes[1] != CURRENT_VERSION && bytes[1] != V1_NO_FACTS) {
            int id = bytes[1] & 0xFF;
            String what = id >= 0x01 && id <= 0x0F ? " (a chip sample, not an anomaly: wrong topic?)"
                    : id >= 0x11 && id <= 0x1F ? " (a newer anomaly schema)" : "";
            throw new WireFormatException(WireFormatException.Reason.UNKNOWN_VERSION,
                    String.format("unknown schema id 0x%02X%s; this build reads anomalies of schemas 0x%02X-0x%02X",
                            id, what, V1_NO_FACTS, CURRENT_VERSION));
        }
        int schemaId = bytes[1];
        AvroBounds.check(schemaId == CURRENT_VERSION ? AnomalyV1.getClassSchema() : SCHEMA_0X11, bytes, 2);
        decoder = DecoderFactory.get().binaryDecoder(bytes, 2, bytes.length - 2, decoder);
        AnomalyV1 record;
        try {
            record = (schemaId == CURRENT_VERSION ? reader : readerOf0x11).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(WireFormatException.Reason.TRAILING_BYTES,
                        "bytes left over after a complete anomaly");
            }
        } catch (IOException | RuntimeException e) {
            // Truncated or corrupt input shows as EOFException, AvroRuntimeException, ArrayIndexOutOfBounds (bad
            // enum index), NegativeArraySize (bad length)...: all mean "malformed".
            throw new WireFormatException(WireFormatException.Reason.MALFORMED_BODY,
                    String.format("not a valid anomaly (schema 0x%02X): %s", schemaId, e), e);
        }
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            record.getTags().forEach((k, v) -> tags.put(String.valueOf(k), String.valueOf(v)));
            Map<String, Double> facts = new LinkedHashMap<>();
            record.getFacts().forEach((k, v) -> facts.put(String.valueOf(k), v));
            return new Anomaly(record.getId(), AnomalyType.valueOf(record.getType().name()),
                    Severity.valueOf(record.getSeverity().name()), Scope.valueOf(record.getScope().name()),
                    record.getEntity(), tags, AnomalyState.valueOf(record.getState().name()),
                    record.getStartMillis(), record.getEndMillis(), record.getEventMillis(), record.getValue(),
                    record.getThreshold(), record.getDetail(), record.getAffected(), facts);
        } catch (RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED_BODY,
                    "an anomaly that breaks its invariants: " + e.getMessage(), e);
        }
    }

    private static Schema frozenSchema(String resource) {
        try (InputStream in = AnomalyCodec.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
