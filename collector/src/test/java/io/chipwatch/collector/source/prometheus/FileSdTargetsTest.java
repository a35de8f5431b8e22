package io.chipwatch.collector.source.prometheus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSdTargetsTest {

    @Test
    void readsGroupsWithTheirLabelsAndPrometheusReservedLabels() {
        List<ScrapeTarget> t = FileSdTargets.parse("""
                [{"targets": ["10.0.0.7:9400", "10.0.0.8:9400"],
                  "labels": {"pod": "p00", "rack": "p00-r00", "node": "p00-r00-n00", "env": "prod"}},
                 {"targets": ["sim:9400"], "labels": {"pod": "p00", "rack": "p00-r01", "node": "p00-r01-n03",
                   "__metrics_path__": "/metrics/node/p00-r01-n03"}},
                 {"targets": ["10.0.0.7:9400"], "labels": {"pod": "x", "rack": "y", "node": "z"}}]
                """, false);
        assertThat(t).hasSize(3);
        assertThat(t.get(0).url()).hasToString("http://10.0.0.7:9400/metrics");
        assertThat(t.get(0).node()).isEqualTo("p00-r00-n00");
        assertThat(t.get(0).labels()).containsEntry("env", "prod");
        assertThat(t.get(2).url()).hasToString("http://sim:9400/metrics/node/p00-r01-n03");
        assertThat(t.get(2).rack()).isEqualTo("p00-r01");
    }

    @Test
    void readsYamlAndAnEmptyList() {
        assertThat(FileSdTargets.parse("- targets: ['h:1']\n  labels: {pod: p, rack: r, node: n}\n", true))
                .extracting(ScrapeTarget::name).containsExactly("http://h:1/metrics");
        assertThat(FileSdTargets.parse("[]", false)).isEmpty();
    }

    @Test
    void refusesWhatCannotBeScrapedOrPlaced() {
        assertThatThrownBy(() -> FileSdTargets.parse("[{\"targets\": [\"h:1\"], \"labels\": {\"pod\": \"p\", "
                + "\"rack\": \"r\"}}]", false)).hasMessageContaining("group 0: target h:1 has no \"node\" label");
        assertThatThrownBy(() -> FileSdTargets.parse("{\"targets\": []}", false)).hasMessageContaining("list");
        assertThatThrownBy(() -> FileSdTargets.parse("[{\"targets\": [\"http://h:1/x\"], \"labels\": {\"pod\": \"p\", "
                + "\"rack\": \"r\", \"node\": \"n\"}}]", false)).hasMessageContaining("host:port");
        assertThatThrownBy(() -> FileSdTargets.parse("[{\"targets\": [\"h\"], \"labels\": {\"pod\": \"p\", "
                + "\"rack\": \"r\", \"node\": \"n\"}}]", false)).hasMessageContaining("host:port");
        assertThatThrownBy(() -> FileSdTargets.parse("[{\"targets\": ", false)).hasMessageStartingWith("not JSON");
    }

    @Test
    void theFileIsReReadWhenItChangesAndABadVersionKeepsTheTargets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("targets.json");
        Files.writeString(file, group("a:1", "n0"));
        TargetsFile targets = new TargetsFile(file);
        assertThat(targets.current()).extracting(ScrapeTarget::node).containsExactly("n0");

        replace(file, "[" + group("a:1", "n0").replaceAll("^\\[|]$", "") + "," + group("b:2", "n1")
                .replaceAll("^\\[|]$", "") + "]");
        assertThat(targets.current()).extracting(ScrapeTarget::node).containsExactly("n0", "n1");

        replace(file, "[{\"targets\": [");
        assertThat(targets.current()).as("half-written: keep the last good list").hasSize(2);
        assertThat(targets.errors()).isEqualTo(1);
        assertThat(targets.current()).as("not re-read while unchanged").hasSize(2);
        assertThat(targets.errors()).isEqualTo(1);

        replace(file, group("c:3", "n2"));
        assertThat(targets.current()).extracting(ScrapeTarget::node).containsExactly("n2");
        Files.delete(file);
        assertThat(targets.current()).hasSize(1);
        assertThat(targets.errors()).isEqualTo(2);
    }

    private static String group(String address, String node) {
        return "[{\"targets\": [\"" + address + "\"], \"labels\": {\"pod\": \"p\", \"rack\": \"r\", \"node\": \""
                + node + "\"}}]";
    }

    /** As tools write it: a new file renamed over the old one (a new inode, whatever the clock's resolution). */
    private static void replace(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.setLastModifiedTime(tmp, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 1000));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
