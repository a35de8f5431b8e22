package io.chipwatch.alerting.alert;

import java.util.NoSuchElementException;

/** No alert has the fingerprint asked for (an HTTP layer answers 404). */
public final class AlertNotFoundException extends NoSuchElementException {
    public AlertNotFoundException(String fingerprint) {
        super("no alert with fingerprint " + fingerprint);
    }
}
