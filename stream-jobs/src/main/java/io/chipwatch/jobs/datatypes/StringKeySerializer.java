package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringComparator;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/**
 * Flink's {@link StringSerializer} format, written in one {@link BulkWrite}: the serializer of the jobs' string keys
 * (chip, node, rack, link: {@link #KEY_TYPE} in every {@code keyBy}) and of string map-state keys.
 *
 * <p>Why: every entry of keyed state and every timer is written to a checkpoint with its key, and
 * {@link StringSerializer} writes a string character by character through the checkpoint stream's chain of calls:
 * state, timer and map keys took about 11% of the detection job's CPU at 10,000 chips. The bytes are exactly {@link StringSerializer}'s,
 * and {@link Snapshot} accepts a checkpoint written by it as compatible as is: jobs restore their checkpoints from
 * before this serializer with their uids unchanged.
 */
public final class StringKeySerializer extends StatelessSerializer<String> {
    private static final long serialVersionUID = 1L;

    public static final StringKeySerializer INSTANCE = new StringKeySerializer();

    /** The type of a string key ({@code keyBy}, {@code reinterpretAsKeyedStream}) or of a map state's keys. */
    public static final TypeInformation<String> KEY_TYPE = new KeyType();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public String createInstance() {
        return "";
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public String copy(String from, String reuse) {
        return from;
    }

    @Override
    public void serialize(String s, DataOutputView out) throws IOException {
        BulkWrite.write(out, o -> StringValue.writeString(s, o));
    }

    @Override
    public String deserialize(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        StringValue.copyString(source, target);
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Serializer snapshot: compatible as is with its own and with {@link StringSerializer}'s (same bytes). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<String> resolveSchemaCompatibility(
                TypeSerializerSnapshot<String> oldSnapshot) {
            if (oldSnapshot instanceof StringSerializer.StringSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }

    /** {@link BasicTypeInfo#STRING_TYPE_INFO} (a key type, with its comparator) with this serializer. */
    private static final class KeyType extends BasicTypeInfo<String> {
        private static final long serialVersionUID = 1L;

        KeyType() {
            super(String.class, new Class<?>[]{}, INSTANCE, StringComparator.class);
        }
    }
}
