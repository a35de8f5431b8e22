package io.chipwatch.jobs.sketch;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Tells Flink's type extraction to serialize {@link LatencySketch} with {@link LatencySketchSerializer}, wherever it
 * appears (a field of a record or POJO, window state). Without it the class would be a generic type, which this job
 * forbids.
 */
public final class LatencySketchTypeInfoFactory extends TypeInfoFactory<LatencySketch> {

    @Override
    public TypeInformation<LatencySketch> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return LatencySketchTypeInfo.INSTANCE;
    }

    /** Type information of {@link LatencySketch}. */
    public static final class LatencySketchTypeInfo extends TypeInformation<LatencySketch> {
        private static final long serialVersionUID = 1L;
        public static final LatencySketchTypeInfo INSTANCE = new LatencySketchTypeInfo();

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
        public Class<LatencySketch> getTypeClass() {
            return LatencySketch.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<LatencySketch> createSerializer(SerializerConfig config) {
            return LatencySketchSerializer.INSTANCE;
        }

        @Override
        public String toString() {
            return "LatencySketch";
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof LatencySketchTypeInfo;
        }

        @Override
        public int hashCode() {
            return LatencySketchTypeInfo.class.hashCode();
        }

        @Override
        public boolean canEqual(Object obj) {
            return obj instanceof LatencySketchTypeInfo;
        }
    }
}
