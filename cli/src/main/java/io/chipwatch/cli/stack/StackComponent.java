package io.chipwatch.cli.stack;

import io.chipwatch.infra.LocalProcess;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One component of the local stack as {@link LocalStack#up} runs it: its name, the loopback ports it needs (each
 * with its usual number), how to start it, how to tell it is ready and what to print once it is. Its address is
 * its first port on 127.0.0.1, behind {@code scheme} ({@code http://}, or nothing for Kafka's bootstrap address).
 *
 * @param name       the component's name: its log file, data folder and key in the state file
 * @param ports      the ports to choose before the start, in the state file's order
 * @param scheme     what comes before {@code 127.0.0.1:PORT} in its address
 * @param launcher   starts it, once its ports are chosen
 * @param readiness  returns once it serves
 * @param where      what {@code up} prints after "started in N s"
 * @param runsUnseen true when it answers although no recorded pid of ours runs it (Grafana in a container)
 */
public record StackComponent(String name, List<Port> ports, String scheme, Launcher launcher, Readiness readiness,
                             Function<Launch, String> where, Predicate<StackState> runsUnseen) {

    public StackComponent {
        Objects.requireNonNull(name, "name");
        ports = List.copyOf(ports);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one port");
        }
    }

    /** A component whose address is {@code http://127.0.0.1:PORT}, that only our own pid can run. */
    static StackComponent http(String name, List<Port> ports, Launcher launcher, Readiness readiness,
                               Function<Launch, String> where) {
        return new StackComponent(name, ports, "http://", launcher, readiness, where, state -> false);
    }

    /** Its address in a stack with this state, or {@code null} when it never had a port. */
    public String url(StackState state) {
        Integer port = state.port(name, ports.get(0).name());
        return port == null ? null : scheme + "127.0.0.1:" + port;
    }

    /**
     * One port of a component.
     *
     * @param name  its key in the state file ({@code http}, {@code broker}...)
     * @param usual the number it gets when that is free and it had none before
     */
    public record Port(String name, int usual) {
    }

    /** What a start left running: the pid to record (none for a container) and the process, where we hold it. */
    public record Started(Optional<Long> pid, LocalProcess process) {

        /** A server that {@code infra} started and waited for (only its pid is left to record). */
        static Started pid(long pid) {
            return new Started(Optional.of(pid), null);
        }

        /** A process of ours, to watch while it gets ready. */
        static Started process(LocalProcess process) {
            return new Started(Optional.of(process.pid()), process);
        }
    }

    /** Starts a component whose ports are chosen; empty when it was not started (and said why). */
    @FunctionalInterface
    public interface Launcher {
        Optional<Started> start(Launch launch) throws Exception;
    }

    /**
     * Waits until a started component serves.
     *
     * @return false when it did not but the stack goes on without it (and it said so)
     * @throws IllegalStateException when it did not come up, naming its log
     */
    @FunctionalInterface
    public interface Readiness {
        /** For servers whose start returns once they serve. */
        Readiness STARTED = (launch, started) -> true;

        boolean await(Launch launch, Started started) throws Exception;
    }
}
