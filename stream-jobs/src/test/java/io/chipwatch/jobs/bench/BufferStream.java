package io.chipwatch.jobs.bench;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable array behind a plain, unsynchronized {@link OutputStream}, like the file checkpoint stream's buffer:
 * what a heap snapshot writes to through a {@code DataOutputStream}.
 */
final class BufferStream extends OutputStream {
    byte[] buffer = new byte[4096];
    int length;

    @Override
    public void write(int b) {
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, 2 * length);
        }
        buffer[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (length + len > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, length + len));
        }
        System.arraycopy(b, off, buffer, length, len);
        length += len;
    }
}
