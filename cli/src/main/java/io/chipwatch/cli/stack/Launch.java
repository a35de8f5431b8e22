package io.chipwatch.cli.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link StackComponent.Launcher} gets for one start: where the stack keeps its files, its state (with the
 * addresses of the components started before), the options of {@code up} and the ports chosen for this component.
 *
 * @param ports the chosen ports by name (recorded in the state once the start returns)
 * @param out   where {@code up} reports
 */
public record Launch(StackLayout layout, StackState state, UpOptions options, StackComponent component,
                     Map<String, Integer> ports, PrintStream out) {

    public Launch {
        ports = Map.copyOf(ports);
    }

    /** The chosen port {@code name} of this component. */
    public int port(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException(component.name() + " has no port " + name);
        }
        return port;
    }

    /** This component's address on its chosen first port. */
    public String url() {
        return component.scheme() + "127.0.0.1:" + port(component.ports().get(0).name());
    }

    /** The address of another component, started before this one. */
    public String url(String otherComponent) {
        return LocalStack.url(state, otherComponent);
    }

    /** This component's data folder, {@code var/NAME}. */
    public Path data() {
        return layout.data(component.name());
    }

    /** This component's log file, {@code var/logs/NAME.log}. */
    public Path log() {
        return layout.log(component.name());
    }
}
