package io.chipwatch.cli.stack;

import io.chipwatch.infra.FreePorts;

/** Chooses loopback ports for the stack: the port it had, else the component's usual port when free, else any free one. */
final class Ports {
    private Ports() {
    }

    static int preferred(Integer remembered, int usual) {
        if (remembered != null && FreePorts.isFree(remembered)) {
            return remembered;
        }
        if (FreePorts.isFree(usual)) {
            return usual;
        }
        return FreePorts.pick();
    }
}
