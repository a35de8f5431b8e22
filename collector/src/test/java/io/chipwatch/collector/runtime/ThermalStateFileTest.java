package io.chipwatch.collector.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chipwatch.collector.sim.ThermalSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThermalStateFileTest {
    @TempDir
    Path dir;


    @Test
    void aSavedSnapshotReadsBackExactlyAndNoFileIsNoSnapshot() throws IOException {
        ThermalStateFile file = new ThermalStateFile(dir.resolve("collector/thermal.state"), Duration.ofSeconds(1));
        assertThat(file.load()).isEmpty();
        double[] temps = new double[250];
        Arrays.setAll(temps, i -> 30 + i * 0.125);
        ThermalSnapshot s = new ThermalSnapshot(1_700_000_000_000L, 42, 1000, 250, 500, temps);
        file.save(s);
        assertThat(file.load()).contains(s);
        assertThat(Files.list(file.path().getParent())).containsExactly(file.path());
    }

    @Test
    void aTruncatedOrForeignFileIsAnErrorNamingIt() throws IOException {
        ThermalStateFile file = new ThermalStateFile(dir.resolve("thermal.state"), Duration.ofSeconds(1));
        file.save(new ThermalSnapshot(5, 42, 1000, 0, 10, new double[10]));
        byte[] whole = Files.readAllBytes(file.path());
        Files.write(file.path(), Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(file::load).isInstanceOf(IOException.class).hasMessageContaining("truncated")
                .hasMessageContaining(file.path().toString());
        Files.writeString(file.path(), "chips: 10000\n");
        assertThatThrownBy(file::load).hasMessageContaining("is not a thermal state file");
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        Files.write(file.path(), longer);
        assertThatThrownBy(file::load).hasMessageContaining("longer than its snapshot");
    }

    @Test
    void saveIfDueSavesAtMostOncePerIntervalAndNeverThrows() throws IOException {
        ThermalStateFile file = new ThermalStateFile(dir.resolve("thermal.state"), Duration.ofSeconds(1));
        AtomicInteger asked = new AtomicInteger();
        long second = 1_000_000_000L;
        assertThat(file.saveIfDue(() -> at(asked, 1), 0)).isTrue();
        assertThat(file.saveIfDue(() -> at(asked, 2), second / 2)).isFalse();
        assertThat(file.load().orElseThrow().timestampMillis()).isEqualTo(1);
        assertThat(file.saveIfDue(() -> at(asked, 3), second)).isTrue();
        assertThat(file.load().orElseThrow().timestampMillis()).isEqualTo(3);
        assertThat(asked).hasValue(2);

        // A directory where the file should be: logged and counted, sampling goes on.
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("thermal.state").resolve("x"));
        ThermalStateFile broken = new ThermalStateFile(blocked.resolve("thermal.state"), Duration.ZERO);
        assertThat(broken.saveIfDue(() -> at(asked, 4), 0)).isFalse();
        assertThat(broken.saveIfDue(() -> at(asked, 5), 1)).isFalse();
        assertThat(broken.failures()).isEqualTo(2);
    }

    private static ThermalSnapshot at(AtomicInteger asked, long ts) {
        asked.incrementAndGet();
        return new ThermalSnapshot(ts, 42, 1000, 0, 2, new double[] {40, 41});
    }
}
