package io.chipwatch.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChipwatchHomeTest {

    @TempDir
    Path tmp;

    private Path checkout() throws IOException {
        Path root = tmp.resolve("checkout");
        Files.createDirectories(root.resolve("kafka-broker"));
        Files.writeString(root.resolve(ChipwatchHome.MARKER), "<project/>");
        Files.createDirectories(root.resolve("infra/src"));
        return root;
    }

    @Test
    void propertyPointingAtTheRootWins() throws IOException {
        Path root = checkout();
        assertThat(ChipwatchHome.locate(root.toString(), null, "/").directory()).isEqualTo(root);
    }

    @Test
    void walksUpFromAModuleFolder() throws IOException {
        Path root = checkout();
        // What Maven hands over when a module is built from inside its own folder.
        assertThat(ChipwatchHome.locate(root.resolve("infra/src").toString(), null, "/").directory()).isEqualTo(root);
    }

    @Test
    void fallsBackToEnvironmentThenWorkingDirectory() throws IOException {
        Path root = checkout();
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        assertThat(ChipwatchHome.locate(elsewhere.toString(), root.toString(), "/").directory()).isEqualTo(root);
        assertThat(ChipwatchHome.locate(null, " ", root.resolve("infra").toString()).directory()).isEqualTo(root);
    }

    @Test
    void saysWhatItTriedWhenNothingIsFound() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        assertThatThrownBy(() -> ChipwatchHome.locate(elsewhere.toString(), null, elsewhere.toString()))
                .isInstanceOf(InfraException.class)
                .hasMessageContaining("kafka-broker/pom.xml")
                .hasMessageContaining("system property chipwatch.root = " + elsewhere)
                .hasMessageContaining("-Dchipwatch.root=");
    }

    @Test
    void derivesTheBrokerClasspathAndVar() throws IOException {
        ChipwatchHome home = new ChipwatchHome(checkout());
        assertThat(home.kafkaBrokerClasspathFile())
                .isEqualTo(home.directory().resolve("kafka-broker/target/runtime.classpath"));
        assertThat(home.varDir()).isEqualTo(home.directory().resolve("var"));
    }

    @Test
    void thisBuildFindsItsOwnCheckout() {
        assertThat(ChipwatchHome.root().resolve(ChipwatchHome.MARKER)).isRegularFile();
    }
}
