package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;

/**
 * Type information of a class that has a serializer of its own (a {@link TypeSerializer} singleton), for a
 * {@link TypeInfoFactory} to return (a subclass of {@link Factory}): Flink's type extraction then uses that
 * serializer wherever the class appears (a field, keyed state, a stream between operators).
 *
 * @param <T> the serialized class
 */
public final class SerializerTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final TypeSerializer<T> serializer;

    public SerializerTypeInfo(Class<T> type, TypeSerializer<T> serializer) {
        this.type = Objects.requireNonNull(type, "type");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer;
    }

    @Override
    public String toString() {
        return type.getSimpleName();
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SerializerTypeInfo<?> other && other.type.equals(type)
                && other.serializer.getClass().equals(serializer.getClass());
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof SerializerTypeInfo;
    }

    /**
     * The factory a class names in its {@code @TypeInfo} annotation: a subclass with a public no-argument
     * constructor that passes the class and its serializer.
     */
    public abstract static class Factory<T> extends TypeInfoFactory<T> {
        private final TypeInformation<T> typeInfo;

        protected Factory(Class<T> type, TypeSerializer<T> serializer) {
            this.typeInfo = new SerializerTypeInfo<>(type, serializer);
        }

        @Override
        public TypeInformation<T> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return typeInfo;
        }
    }
}
