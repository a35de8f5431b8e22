package io.chipwatch.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FreePortsTest {

    @Test
    void picksDistinctFreePorts() {
        int[] ports = FreePorts.pick(5);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(5);
        assertThat(Arrays.stream(ports).allMatch(FreePorts::isFree)).isTrue();
    }

    @Test
    void aListenedPortIsNotFree() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(FreePorts.isFree(socket.getLocalPort())).isFalse();
        }
    }

    @Test
    void rejectsNonPositiveCounts() {
        assertThatThrownBy(() -> FreePorts.pick(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
