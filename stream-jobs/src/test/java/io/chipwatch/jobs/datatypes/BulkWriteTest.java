package io.chipwatch.jobs.datatypes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.junit.jupiter.api.Test;

class BulkWriteTest {

    /** Counts the calls that reach the underlying stream, as a checkpoint stream would pay for them. */
    private static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int calls;

        @Override
        public void write(int b) {
            calls++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            calls++;
            bytes.write(b, off, len);
        }
    }

    @Test
    void aValueReachesAStreamInOneWriteWithTheSameBytesAsFieldByField() throws IOException {
        CountingStream stream = new CountingStream();
        BulkWrite.write(new DataOutputViewStreamWrapper(stream), BulkWriteTest::fields);

        CountingStream direct = new CountingStream();
        fields(new DataOutputViewStreamWrapper(direct));

        assertThat(stream.calls).isEqualTo(1);
        assertThat(direct.calls).isGreaterThan(10);
        assertThat(stream.bytes.toByteArray()).isEqualTo(direct.bytes.toByteArray());
    }

    @Test
    void nestedValuesAndArrayOutputsAreWrittenInPlace() throws IOException {
        CountingStream stream = new CountingStream();
        BulkWrite.write(new DataOutputViewStreamWrapper(stream), out -> {
            out.writeInt(7);
            BulkWrite.write(out, BulkWriteTest::fields);
        });
        assertThat(stream.calls).isEqualTo(1);

        DataOutputSerializer array = new DataOutputSerializer(16);
        BulkWrite.write(array, BulkWriteTest::fields);
        CountingStream direct = new CountingStream();
        fields(new DataOutputViewStreamWrapper(direct));
        assertThat(array.getCopyOfBuffer()).isEqualTo(direct.bytes.toByteArray());
    }

    private static void fields(DataOutputView out) throws IOException {
        out.writeLong(1_795_000_000_000L);
        out.writeUTF("p01-r02-n03-c04");
        out.writeDouble(93.5);
        for (int i = 0; i < 10; i++) {
            out.writeByte(i);
        }
    }
}
