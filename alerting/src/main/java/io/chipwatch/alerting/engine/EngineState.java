package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.dedup.AlertStore;
import io.chipwatch.alerting.dedup.NotificationLog;
import io.chipwatch.alerting.group.Dispatcher;
import io.chipwatch.alerting.history.ResolvedHistory;
import io.chipwatch.alerting.inhibit.Inhibitor;
import io.chipwatch.alerting.rules.AlertFactory;
import io.chipwatch.alerting.rules.RuleSet;
import io.chipwatch.alerting.silence.SilenceStore;

import java.time.Clock;

/**
 * All alert state of one service, owned by the {@link EngineLoop}'s thread (none of it is thread-safe): alerts,
 * silences, the notification log, the aggregation groups, the inhibitions they cause and the resolved history.
 *
 * @param rules the rules the alerts are made and grouped by
 * @param clock the engine's clock (injected in tests)
 */
record EngineState(RuleSet rules, Clock clock, AlertStore alerts, SilenceStore silences, NotificationLog nflog,
                   Dispatcher dispatcher, Inhibitor inhibitor, ResolvedHistory history) {

    /** Empty state for {@code rules}. */
    static EngineState create(RuleSet rules, Clock clock) {
        AlertStore alerts = new AlertStore(new AlertFactory(rules), clock);
        return new EngineState(rules, clock, alerts, new SilenceStore(clock), new NotificationLog(),
                new Dispatcher(rules.route()), new Inhibitor(rules.inhibitRules(), alerts::firing),
                new ResolvedHistory());
    }

    /** Silences in effect at {@code now}. */
    int activeSilences(long now) {
        return (int) silences.all().stream().filter(s -> s.isActive(now)).count();
    }
}
