package io.chipwatch.alerting.testing;

import io.chipwatch.alerting.notify.DeliveryException;
import io.chipwatch.alerting.notify.Notification;
import io.chipwatch.alerting.notify.Receiver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A receiver that keeps what it gets; can be made to fail. */
public final class RecordingReceiver implements Receiver {
    private final String name;
    private final List<Notification> received = new ArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();

    public RecordingReceiver(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        if (down.get()) {
            failures.incrementAndGet();
            throw new DeliveryException(name + " is down (test)");
        }
        synchronized (received) {
            received.add(notification);
        }
    }

    public void setDown(boolean isDown) {
        down.set(isDown);
    }

    public int failures() {
        return failures.get();
    }

    public List<Notification> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }
}
