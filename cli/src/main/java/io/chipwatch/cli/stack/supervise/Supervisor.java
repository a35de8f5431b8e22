package io.chipwatch.cli.stack.supervise;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Restarts the components that die. Each {@link #tick} looks at every component in start order: one whose process
 * is gone is marked down (its alert raised, {@link ComponentAlerts#down}) and restarted after the
 * {@link RestartPolicy}'s backoff; once it serves again its restart is counted, and once it has served for
 * {@link RestartPolicy#resolveAfter} its alert is resolved (one that dies again before keeps the same alert). A component
 * that does not hold after {@link RestartPolicy#giveUpAfter} restarts in a row is left down ({@code gave-up}), its
 * alert still raised. Liveness is the process and its answer: a running component that leaves its health probe
 * ({@link Supervised#answers}, every {@link #PROBE_EVERY_MS} ms) unanswered for {@link RestartPolicy#hungAfter}
 * after it was last started is hung: it is killed and then restarted as if it had died.
 *
 * <p>Not thread-safe: one thread ticks ({@link #stop} may come from another and only makes later ticks do nothing).
 */
public final class Supervisor {
    /** How often a running component's health probe is asked. */
    static final long PROBE_EVERY_MS = 5_000;
    private final Supervised components;
    private final RestartPolicy policy;
    private final ComponentAlerts alerts;
    private final SupervisorClock clock;
    private final Consumer<String> log;
    private final Map<String, Watch> watches = new LinkedHashMap<>();
    private volatile boolean stopped;

    /** One component as the supervisor tracks it; times on the monotonic clock unless named wall. */
    private static final class Watch {
        String state = ComponentStatus.UP;
        Long pid;
        int restarts;
        int inARow;
        long upSince;
        long downSince;
        long downSinceWall;
        long nextAttempt;
        Long lastRestartWall;
        String lastError;
        boolean alertOpen;
        long lastProbe = Long.MIN_VALUE;
        long unansweredSince = -1;
        String hung;
    }

    /**
     * @param log receives one line per event (found down, restarted, restart failed, gave up)
     */
    public Supervisor(Supervised components, RestartPolicy policy, ComponentAlerts alerts, SupervisorClock clock,
                      Consumer<String> log) {
        this.components = Objects.requireNonNull(components, "components");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        long now = clock.monotonicMillis();
        for (String name : components.names()) {
            Watch w = new Watch();
            w.upSince = now;
            w.pid = components.pid(name).orElse(null);
            watches.put(name, w);
        }
    }

    /** One round over every component; returns true when anything changed (the state file is worth writing). */
    public boolean tick() {
        boolean changed = false;
        for (Map.Entry<String, Watch> e : watches.entrySet()) {
            if (stopped) {
                return changed;
            }
            changed |= tick(e.getKey(), e.getValue());
        }
        alerts.flush();
        return changed;
    }

    private boolean tick(String name, Watch w) {
        Optional<Long> pid = components.pid(name);
        long now = clock.monotonicMillis();
        if (pid.isPresent()) {
            if (!w.state.equals(ComponentStatus.UP)) {
                // Started by someone else (a restart that failed its readiness check but runs, `up`).
                log.accept(String.format(Locale.ROOT, "%s runs again (pid %d)", name, pid.get()));
                markUp(name, w, pid.get(), now);
                return true;
            }
            if (w.inARow > 0 && now - w.upSince >= policy.stableAfter().toMillis()) {
                w.inARow = 0;
            }
            if (w.alertOpen && now - w.upSince >= policy.resolveAfter().toMillis()) {
                w.alertOpen = false;
                alerts.up(name, clock.wallMillis());
            }
            boolean changed = !pid.get().equals(w.pid);
            w.pid = pid.get();
            return probe(name, w, pid.get(), now) || changed;
        }
        if (w.state.equals(ComponentStatus.UP)) {
            return foundDown(name, w, now);
        }
        if (w.state.equals(ComponentStatus.RESTARTING) && now >= w.nextAttempt) {
            restart(name, w);
            return true;
        }
        return false;
    }

    /** Asks the health probe when due; kills a component hung for {@link RestartPolicy#hungAfter}. */
    private boolean probe(String name, Watch w, long pid, long now) {
        long hungAfter = policy.hungAfter().toMillis();
        if (hungAfter == 0 || (w.lastProbe != Long.MIN_VALUE && now - w.lastProbe < PROBE_EVERY_MS)) {
            return false;
        }
        w.lastProbe = now;
        if (components.answers(name)) {
            w.unansweredSince = -1;
            return false;
        }
        if (w.unansweredSince < 0) {
            w.unansweredSince = now;
        }
        if (now - w.unansweredSince < hungAfter || now - w.upSince < hungAfter) {
            return false;
        }
        w.hung = String.format(Locale.ROOT, "hung: its health probe went unanswered for %.0f s",
                (now - w.unansweredSince) / 1000.0);
        log.accept(String.format(Locale.ROOT, "%s (pid %d) is %s; killing it", name, pid, w.hung));
        components.kill(name, pid);
        return true;
    }

    private boolean foundDown(String name, Watch w, long now) {
        w.downSince = now;
        w.downSinceWall = clock.wallMillis();
        Long was = w.pid;
        w.pid = null;
        String why = w.hung == null ? "is down" : "was " + w.hung + " and was killed";
        w.hung = null;
        w.unansweredSince = -1;
        String detail;
        if (policy.givesUp(w.inARow)) {
            w.state = ComponentStatus.GAVE_UP;
            detail = String.format(Locale.ROOT, "%s (pid %s) %s again after %d restarts in a row; the "
                    + "supervisor gave up on it: see its log, then ./telemetry up", name, was, why, w.inARow);
        } else {
            w.state = ComponentStatus.RESTARTING;
            Duration delay = policy.delay(w.inARow + 1);
            w.nextAttempt = now + delay.toMillis();
            detail = String.format(Locale.ROOT, "%s (pid %s) %s; the supervisor restarts it in %.1f s "
                    + "(restart %d in a row)", name, was, why, delay.toMillis() / 1000.0, w.inARow + 1);
        }
        log.accept(detail);
        if (!w.alertOpen) {
            w.alertOpen = true;
            alerts.down(name, w.downSinceWall, detail);
        }
        return true;
    }

    private void restart(String name, Watch w) {
        w.inARow++;
        long t0 = clock.monotonicMillis();
        try {
            long pid = components.restart(name);
            long now = clock.monotonicMillis();
            w.restarts++;
            w.lastRestartWall = clock.wallMillis();
            log.accept(String.format(Locale.ROOT, "restarted %s (pid %d) in %.1f s, %.1f s after it was found "
                            + "down; restarts: %d", name, pid, (now - t0) / 1000.0, (now - w.downSince) / 1000.0,
                    w.restarts));
            markUp(name, w, pid, now);
        } catch (Exception e) {
            w.lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            long now = clock.monotonicMillis();
            if (policy.givesUp(w.inARow)) {
                w.state = ComponentStatus.GAVE_UP;
                log.accept(String.format(Locale.ROOT, "restart %d of %s failed: %s; giving up after %d in a row "
                        + "(its alert stays raised; ./telemetry up tries again)", w.inARow, name, w.lastError,
                        w.inARow));
            } else {
                Duration delay = policy.delay(w.inARow + 1);
                w.nextAttempt = now + delay.toMillis();
                log.accept(String.format(Locale.ROOT, "restart %d of %s failed: %s; next in %.1f s", w.inARow,
                        name, w.lastError, delay.toMillis() / 1000.0));
            }
        }
    }

    /** Up again; its alert resolves once it has served for {@link RestartPolicy#resolveAfter} (a later tick). */
    private void markUp(String name, Watch w, long pid, long now) {
        w.state = ComponentStatus.UP;
        w.pid = pid;
        w.upSince = now;
        w.unansweredSince = -1;
        w.lastError = null;
        if (w.alertOpen && policy.resolveAfter().isZero()) {
            w.alertOpen = false;
            alerts.up(name, clock.wallMillis());
        }
    }

    /** Later ticks do nothing: {@code down} stops the supervisor before the components it would restart. */
    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Every component's status, in start order. */
    public Map<String, ComponentStatus> status() {
        Map<String, ComponentStatus> status = new LinkedHashMap<>();
        watches.forEach((name, w) -> status.put(name, new ComponentStatus(w.state, w.pid, w.restarts,
                w.state.equals(ComponentStatus.UP) ? null : w.downSinceWall, w.lastRestartWall, w.lastError)));
        return status;
    }
}
