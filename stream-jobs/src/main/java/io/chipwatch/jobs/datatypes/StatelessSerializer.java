package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Base of the hand-written serializers of variable-length values ({@link ChipReadingSerializer}, the chip window
 * accumulator's, {@code LatencySketchSerializer}): one stateless instance; deserializing always makes a new value
 * (no reuse); copying serialized bytes reads the value and writes it again unless a subclass knows better. Each
 * subclass keeps its own snapshot class: that class's name is what checkpoints record.
 */
public abstract class StatelessSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }
}
