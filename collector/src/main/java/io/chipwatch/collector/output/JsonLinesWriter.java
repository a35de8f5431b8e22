package io.chipwatch.collector.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.chipwatch.model.sample.ChipSample;
import io.chipwatch.model.sample.LinkKind;
import io.chipwatch.model.sample.LinkLatency;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Writes chip samples as JSON lines in the {@code simulate} contract of CONTRACTS.md §4, one object per line, keys
 * in this order:
 * <pre>{"ts":…,"chip":"…","node":"…","rack":"…","pod":"…","job":"…"|null,"util":…,"tempC":…,"powerW":…,
 * "links":[{"link":"…","peer":"…","kind":"intra|fabric","latencyUs":…}]}</pre>
 * Uses Jackson's streaming generator (no tree, no reflection) because {@code simulate} writes hundreds of
 * thousands of samples a second. Not thread-safe. {@link #close()} flushes but leaves the stream open, so
 * writing to {@code System.out} is safe.
 */
public final class JsonLinesWriter implements Consumer<ChipSample>, Flushable, Closeable {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            // Schubfach instead of Double.toString: same shortest representation, several times faster.
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();
    // Pre-encoded field names: the generator copies their bytes instead of quoting them every time.
    private static final SerializableString TS = new SerializedString("ts");
    private static final SerializableString CHIP = new SerializedString("chip");
    private static final SerializableString NODE = new SerializedString("node");
    private static final SerializableString RACK = new SerializedString("rack");
    private static final SerializableString POD = new SerializedString("pod");
    private static final SerializableString JOB = new SerializedString("job");
    private static final SerializableString UTIL = new SerializedString("util");
    private static final SerializableString TEMP = new SerializedString("tempC");
    private static final SerializableString POWER = new SerializedString("powerW");
    private static final SerializableString LINKS = new SerializedString("links");
    private static final SerializableString LINK = new SerializedString("link");
    private static final SerializableString PEER = new SerializedString("peer");
    private static final SerializableString KIND = new SerializedString("kind");
    private static final SerializableString LATENCY = new SerializedString("latencyUs");
    // LinkKind.label() builds a new string each call; one pre-encoded value per kind instead.
    private static final SerializableString[] KIND_LABELS = kindLabels();

    private final JsonGenerator generator;

    private static SerializableString[] kindLabels() {
        LinkKind[] kinds = LinkKind.values();
        SerializableString[] labels = new SerializableString[kinds.length];
        for (LinkKind kind : kinds) {
            labels[kind.ordinal()] = new SerializedString(kind.label());
        }
        return labels;
    }

    /** Writes to {@code out}; wrap it in a buffer if it is unbuffered and slow (the generator buffers ~8 KB). */
    public JsonLinesWriter(OutputStream out) {
        try {
            this.generator = FACTORY.createGenerator(out);
            // Jackson puts a space between root values by default; lines are separated by our newline alone.
            this.generator.setRootValueSeparator(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one sample as one line. */
    public void write(ChipSample s) throws IOException {
        JsonGenerator g = generator;
        g.writeStartObject();
        g.writeFieldName(TS);
        g.writeNumber(s.timestampMillis());
        stringField(CHIP, s.chip());
        stringField(NODE, s.node());
        stringField(RACK, s.rack());
        stringField(POD, s.pod());
        g.writeFieldName(JOB);
        if (s.job() == null) {
            g.writeNull();
        } else {
            g.writeString(s.job());
        }
        numberField(UTIL, s.util());
        numberField(TEMP, s.tempC());
        numberField(POWER, s.powerW());
        g.writeFieldName(LINKS);
        g.writeStartArray();
        for (LinkLatency l : s.links()) {
            g.writeStartObject();
            stringField(LINK, l.link());
            stringField(PEER, l.peer());
            g.writeFieldName(KIND);
            g.writeString(KIND_LABELS[l.kind().ordinal()]);
            numberField(LATENCY, l.latencyUs());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        // A raw newline rather than a root separator, so the last line ends with one too.
        g.writeRaw('\n');
    }

    private void stringField(SerializableString name, String value) throws IOException {
        generator.writeFieldName(name);
        generator.writeString(value);
    }

    private void numberField(SerializableString name, double value) throws IOException {
        generator.writeFieldName(name);
        generator.writeNumber(value);
    }

    /** {@link #write} for use as a sample sink; I/O errors become {@link UncheckedIOException}. */
    @Override
    public void accept(ChipSample sample) {
        try {
            write(sample);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() throws IOException {
        generator.flush();
    }

    /** Flushes everything written; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        generator.close();
    }
}
