package io.chipwatch.jobs.datatypes;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/** Tells Flink's type extraction to serialize {@link ChipReading} with {@link ChipReadingSerializer}. */
public final class ChipReadingTypeInfoFactory extends TypeInfoFactory<ChipReading> {
    private static final TypeInformation<ChipReading> TYPE_INFO =
            new SerializerTypeInfo<>(ChipReading.class, ChipReadingSerializer.INSTANCE);

    @Override
    public TypeInformation<ChipReading> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return TYPE_INFO;
    }
}
