package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Flink serializer of {@link RawRecord}, the Kafka record every sample crosses the network as (source to the
 * subtask of its chip). Flink's record serializer wrote the topic name char by char and read the record back
 * reflectively: about 3% of the detection job's CPU at 10,000 chips. Layout: a flags byte (bit 0 topic, 1 key,
 * 2 value present), the topic ({@code writeUTF}), partition, offset, timestamp, then key and value as a length and
 * their bytes. Copies are deep (the arrays are cloned). Records are not kept in state.
 */
public final class RawRecordSerializer extends StatelessSerializer<RawRecord> {
    private static final long serialVersionUID = 1L;

    public static final RawRecordSerializer INSTANCE = new RawRecordSerializer();

    private static final int HAS_TOPIC = 1;
    private static final int HAS_KEY = 2;
    private static final int HAS_VALUE = 4;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RawRecord createInstance() {
        return null;
    }

    @Override
    public RawRecord copy(RawRecord from) {
        return new RawRecord(from.topic(), from.partition(), from.offset(), from.timestamp(),
                from.key() == null ? null : from.key().clone(), from.value() == null ? null : from.value().clone());
    }

    @Override
    public RawRecord copy(RawRecord from, RawRecord reuse) {
        return copy(from);
    }

    @Override
    public void serialize(RawRecord r, DataOutputView out) throws IOException {
        BulkWrite.write(out, o -> {
            o.writeByte((r.topic() != null ? HAS_TOPIC : 0) | (r.key() != null ? HAS_KEY : 0)
                    | (r.value() != null ? HAS_VALUE : 0));
            if (r.topic() != null) {
                o.writeUTF(r.topic());
            }
            o.writeInt(r.partition());
            o.writeLong(r.offset());
            o.writeLong(r.timestamp());
            writeBytes(o, r.key());
            writeBytes(o, r.value());
        });
    }

    private static void writeBytes(DataOutputView o, byte[] bytes) throws IOException {
        if (bytes != null) {
            o.writeInt(bytes.length);
            o.write(bytes);
        }
    }

    @Override
    public RawRecord deserialize(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        String topic = (flags & HAS_TOPIC) != 0 ? in.readUTF() : null;
        int partition = in.readInt();
        long offset = in.readLong();
        long timestamp = in.readLong();
        byte[] key = (flags & HAS_KEY) != 0 ? readBytes(in) : null;
        byte[] value = (flags & HAS_VALUE) != 0 ? readBytes(in) : null;
        return new RawRecord(topic, partition, offset, timestamp, key, value);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    @Override
    public TypeSerializerSnapshot<RawRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Tells Flink's type extraction to serialize {@link RawRecord} with this serializer. */
    public static final class Factory extends SerializerTypeInfo.Factory<RawRecord> {
        public Factory() {
            super(RawRecord.class, INSTANCE);
        }
    }
}
