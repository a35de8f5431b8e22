package io.chipwatch.model.wire;

import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;
import io.chipwatch.model.wire.avro.ChipSampleV1;
import io.chipwatch.model.wire.avro.LinkKindV1;
import io.chipwatch.model.wire.avro.LinkLatencyV1;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@link ChipSample}s in the Kafka wire format: a two-byte envelope
 * ({@link #MAGIC}, schema version) followed by the record in Avro binary encoding under that version's
 * schema ({@code model/src/main/avro/chip_sample_v1.avsc} for version 1).
 *
 * <p>Not thread-safe (it reuses buffers); use one instance per thread or task.
 */
public final class ChipSampleCodec {
    /** First byte of every Chipwatch record value. */
    public static final byte MAGIC = (byte) 0xC7;
    /** The schema version this codec writes. */
    public static final byte CURRENT_VERSION = 1;

    private final SpecificDatumWriter<ChipSampleV1> writer = new SpecificDatumWriter<>(ChipSampleV1.class);
    private final SpecificDatumReader<ChipSampleV1> reader = new SpecificDatumReader<>(ChipSampleV1.class);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    /** Encodes a sample under the current schema version. */
    public byte[] encode(ChipSample sample) {
        List<LinkLatencyV1> links = new ArrayList<>(sample.links().size());
        for (LinkLatency l : sample.links()) {
            links.add(new LinkLatencyV1(l.link(), l.peer(), toWire(l.kind()), l.latencyUs()));
        }
        ChipSampleV1 record = new ChipSampleV1(sample.timestampMillis(), sample.chip(), sample.node(),
                sample.rack(), sample.pod(), sample.job(), sample.util(), sample.tempC(), sample.powerW(), links);
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
     * @throws WireFormatException with a {@link WireFormatException.Reason} when the bytes are not a valid sample
     */
    public ChipSample decode(byte[] bytes) throws WireFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new WireFormatException(WireFormatException.Reason.EMPTY, "empty record");
        }
        if (bytes[0] != MAGIC) {
            throw new WireFormatException(WireFormatException.Reason.BAD_MAGIC,
                    String.format("first byte 0x%02X is not the Chipwatch marker 0x%02X", bytes[0], MAGIC));
        }
        if (bytes.length < 2) {
            throw new WireFormatException(WireFormatException.Reason.MALFORMED_BODY, "record ends after the marker");
        }
        if (bytes[1] != CURRENT_VERSION) {
            throw new WireFormatException(WireFormatException.Reason.UNKNOWN_VERSION,
                    "unknown schema version " + (bytes[1] & 0xFF) + "; this build reads version " + CURRENT_VERSION);
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, 2, bytes.length - 2, decoder);
        ChipSampleV1 record;
        try {
            record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(WireFormatException.Reason.TRAILING_BYTES,
                        "bytes left over after a complete version-1 sample");
            }
        } catch (IOException | RuntimeException e) {
            // Avro reports truncated or corrupt input as EOFException, AvroRuntimeException,
            // ArrayIndexOutOfBounds (bad enum index) or NegativeArraySize (bad length): all mean "malformed".
            throw new WireFormatException(WireFormatException.Reason.MALFORMED_BODY,
                    "not a valid version-1 sample: " + e, e);
        }
        List<LinkLatency> links = new ArrayList<>(record.getLinks().size());
        for (LinkLatencyV1 l : record.getLinks()) {
            links.add(new LinkLatency(l.getLink(), l.getPeer(), fromWire(l.getKind()), l.getLatencyUs()));
        }
        return new ChipSample(record.getTsMillis(), record.getChip(), record.getNode(), record.getRack(),
                record.getPod(), record.getJob(), record.getUtil(), record.getTempC(), record.getPowerW(), links);
    }

    private static LinkKindV1 toWire(LinkKind kind) {
        return kind == LinkKind.INTRA ? LinkKindV1.INTRA : LinkKindV1.FABRIC;
    }

    private static LinkKind fromWire(LinkKindV1 kind) {
        return kind == LinkKindV1.INTRA ? LinkKind.INTRA : LinkKind.FABRIC;
    }
}
