package io.chipwatch.jobs.sketch;

import io.chipwatch.jobs.datatypes.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Tells Flink's type extraction to serialize {@link LatencySketch} with {@link LatencySketchSerializer}, wherever it
 * appears (a field of a record or POJO, window state). Without it the class would be a generic type, which this job
 * forbids.
 */
public final class LatencySketchTypeInfoFactory extends TypeInfoFactory<LatencySketch> {
    private static final TypeInformation<LatencySketch> TYPE_INFO =
            new SerializerTypeInfo<>(LatencySketch.class, LatencySketchSerializer.INSTANCE);

    @Override
    public TypeInformation<LatencySketch> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return TYPE_INFO;
    }
}
