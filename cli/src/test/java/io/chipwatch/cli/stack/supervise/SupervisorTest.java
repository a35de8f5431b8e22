package io.chipwatch.cli.stack.supervise;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The restart logic on a fake stack and a fake clock: backoff, counting, give-up, alerts, stop. */
class SupervisorTest {
    private static final RestartPolicy POLICY =
            new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(60), 4,
                    Duration.ofSeconds(10), Duration.ofSeconds(60));

    private final FakeClock clock = new FakeClock();
    private final FakeStack stack = new FakeStack(List.of("kafka", "detection", "collector"));
    private final RecordingAlerts alerts = new RecordingAlerts();
    private final List<String> log = new ArrayList<>();
    private final Supervisor supervisor = new Supervisor(stack, POLICY, alerts, clock, log::add);

    @Test
    void aComponentThatDiesIsRestartedAfterTheFirstDelayCountedAndItsAlertRaisedThenResolved() {
        assertThat(supervisor.tick()).isFalse();
        stack.kill("collector");

        assertThat(supervisor.tick()).isTrue();
        assertThat(alerts.events).containsExactly("down collector@" + clock.wall);
        assertThat(supervisor.status().get("collector").state()).isEqualTo(ComponentStatus.RESTARTING);
        assertThat(stack.restarts).isEmpty();

        clock.advance(999);
        supervisor.tick();
        assertThat(stack.restarts).as("not before the delay").isEmpty();

        clock.advance(1);
        supervisor.tick();
        assertThat(stack.restarts).containsExactly("collector");
        ComponentStatus s = supervisor.status().get("collector");
        assertThat(s.state()).isEqualTo(ComponentStatus.UP);
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.pid()).isEqualTo(stack.pids.get("collector"));
        assertThat(alerts.events).as("resolved only once it has served 10 s")
                .containsExactly("down collector@" + (clock.wall - 1000));
        clock.advance(9_999);
        supervisor.tick();
        assertThat(alerts.events).hasSize(1);
        clock.advance(1);
        supervisor.tick();
        assertThat(alerts.events).containsExactly("down collector@" + (clock.wall - 11_000),
                "up collector@" + clock.wall);
        assertThat(supervisor.status().get("kafka").restarts()).isZero();
        assertThat(log).anyMatch(l -> l.startsWith("collector (pid 102) is down; the supervisor restarts it in 1.0 s"))
                .anyMatch(l -> l.startsWith("restarted collector (pid " + stack.pids.get("collector") + ")"));
    }

    @Test
    void aRunningComponentThatStopsAnsweringForTheHungLimitIsKilledRestartedAndAlertedAsHung() {
        clock.advance(60_000);
        supervisor.tick();
        stack.unanswering.add("detection");
        long pid = stack.pids.get("detection");
        for (int i = 0; i < 12; i++) { // a probe every 5 s, none answered: 55 s since the first
            clock.advance(5_000);
            supervisor.tick();
        }
        assertThat(stack.killed).as("unanswered for 55 s: not yet").isEmpty();
        clock.advance(5_000);
        supervisor.tick();
        assertThat(stack.killed).containsExactly("detection/" + pid);
        assertThat(log).anyMatch(l -> l.equals("detection (pid " + pid + ") is hung: its health probe went "
                + "unanswered for 60 s; killing it"));

        supervisor.tick();
        assertThat(alerts.details).singleElement().asString()
                .startsWith("detection (pid " + pid + ") was hung: its health probe went unanswered for 60 s and "
                        + "was killed; the supervisor restarts it in 1.0 s");
        clock.advance(1_000);
        supervisor.tick();
        assertThat(stack.restarts).containsExactly("detection");
        assertThat(supervisor.status().get("detection").restarts()).isEqualTo(1);

        // Answering again (even unhealthy) right after a start: the grace of the hung limit applies anew.
        stack.unanswering.add("collector");
        for (int i = 0; i < 30; i++) {
            clock.advance(1_000);
            supervisor.tick();
        }
        stack.unanswering.remove("collector");
        for (int i = 0; i < 60; i++) {
            clock.advance(1_000);
            supervisor.tick();
        }
        assertThat(stack.killed).as("30 s unanswered then answering: not hung").hasSize(1);
    }

    @Test
    void aCrashLoopBacksOffExponentiallyUpToTheMaxThenGivesUpAndKeepsItsAlert() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stack.kill("detection");
            supervisor.tick();
            long waited = 0;
            while (stack.restarts.size() == i) {
                clock.advance(100);
                waited += 100;
                supervisor.tick();
            }
            delays.add(waited);
            clock.advance(5_000); // dies 5 s after each restart: not stable
        }
        assertThat(delays).containsExactly(1_000L, 2_000L, 4_000L, 8_000L);

        stack.kill("detection");
        supervisor.tick();
        clock.advance(120_000);
        supervisor.tick();
        assertThat(stack.restarts).hasSize(4);
        assertThat(supervisor.status().get("detection").state()).isEqualTo(ComponentStatus.GAVE_UP);
        assertThat(supervisor.status().get("detection").restarts()).isEqualTo(4);
        assertThat(alerts.events).as("a crash loop is one alert, never resolved").hasSize(1)
                .first().asString().startsWith("down detection@");
        assertThat(log.get(log.size() - 1)).contains("gave up");
    }

    @Test
    void aComponentThatStayedUpLongEnoughStartsAgainFromTheFirstDelay() {
        stack.kill("kafka");
        supervisor.tick();
        clock.advance(1_000);
        supervisor.tick();
        clock.advance(3_000);
        stack.kill("kafka");
        supervisor.tick();
        clock.advance(1_999);
        supervisor.tick();
        assertThat(stack.restarts).as("second in a row waits 2 s").hasSize(1);
        clock.advance(1);
        supervisor.tick();
        assertThat(stack.restarts).hasSize(2);

        clock.advance(60_000);
        supervisor.tick();
        stack.kill("kafka");
        supervisor.tick();
        clock.advance(1_000);
        supervisor.tick();
        assertThat(stack.restarts).as("stable for 60 s: back to 1 s").hasSize(3);
        assertThat(supervisor.status().get("kafka").restarts()).isEqualTo(3);
    }

    @Test
    void aFailedRestartIsRetriedWithBackoffAndNotCounted() {
        stack.failing.put("kafka", 2);
        stack.kill("kafka");
        supervisor.tick();
        clock.advance(1_000);
        supervisor.tick();
        assertThat(supervisor.status().get("kafka").lastError()).isEqualTo("port taken");
        assertThat(supervisor.status().get("kafka").state()).isEqualTo(ComponentStatus.RESTARTING);
        clock.advance(2_000);
        supervisor.tick();
        clock.advance(3_999);
        supervisor.tick();
        assertThat(stack.restarts).isEmpty();
        clock.advance(1);
        supervisor.tick();
        assertThat(stack.restarts).containsExactly("kafka");
        assertThat(supervisor.status().get("kafka").restarts()).isEqualTo(1);
        clock.advance(10_000);
        supervisor.tick();
        assertThat(alerts.events).hasSize(2);
        assertThat(log).anyMatch(l -> l.equals("restart 1 of kafka failed: port taken; next in 2.0 s"));
    }

    @Test
    void severalDownAreRestartedInStartOrder() {
        stack.kill("collector");
        stack.kill("kafka");
        supervisor.tick();
        clock.advance(1_000);
        supervisor.tick();
        assertThat(stack.restarts).containsExactly("kafka", "collector");
    }

    @Test
    void aComponentStartedBySomeoneElseWhileDownIsUpAgainWithoutARestart() {
        stack.kill("collector");
        supervisor.tick();
        stack.pids.put("collector", 999L);
        supervisor.tick();
        assertThat(supervisor.status().get("collector").state()).isEqualTo(ComponentStatus.UP);
        assertThat(supervisor.status().get("collector").restarts()).isZero();
        clock.advance(10_000);
        supervisor.tick();
        assertThat(alerts.events).hasSize(2).last().asString().startsWith("up collector");
    }

    @Test
    void aStoppedSupervisorRestartsNothing() {
        supervisor.stop();
        stack.kill("collector");
        supervisor.tick();
        clock.advance(10_000);
        supervisor.tick();
        assertThat(stack.restarts).isEmpty();
        assertThat(alerts.events).isEmpty();
        assertThat(supervisor.stopped()).isTrue();
    }

    @Test
    void thePolicyDoublesFromTheInitialDelayAndCapsAtTheMax() {
        assertThat(RestartPolicy.DEFAULT.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RestartPolicy.DEFAULT.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(RestartPolicy.DEFAULT.delay(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(RestartPolicy.DEFAULT.delay(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RestartPolicy.DEFAULT.delay(200)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RestartPolicy.DEFAULT.givesUp(7)).isFalse();
        assertThat(RestartPolicy.DEFAULT.givesUp(8)).isTrue();
    }

    /** Monotonic and wall clocks moved together by the test. */
    static final class FakeClock implements SupervisorClock {
        long mono = 5_000;
        long wall = 1_700_000_000_000L;

        void advance(long millis) {
            mono += millis;
            wall += millis;
        }

        @Override
        public long monotonicMillis() {
            return mono;
        }

        @Override
        public long wallMillis() {
            return wall;
        }
    }

    /** Components as pids in a map: killing removes the pid, a restart gives a new one. */
    static final class FakeStack implements Supervised {
        final List<String> names;
        final Map<String, Long> pids = new HashMap<>();
        final Map<String, Integer> failing = new HashMap<>();
        final List<String> restarts = new ArrayList<>();
        final Set<String> unanswering = new HashSet<>();
        final List<String> killed = new ArrayList<>();
        long nextPid = 100;

        FakeStack(List<String> names) {
            this.names = names;
            names.forEach(n -> pids.put(n, nextPid++));
        }

        void kill(String name) {
            pids.remove(name);
        }

        @Override
        public List<String> names() {
            return names;
        }

        @Override
        public Optional<Long> pid(String component) {
            return Optional.ofNullable(pids.get(component));
        }

        @Override
        public boolean answers(String component) {
            return !unanswering.contains(component);
        }

        @Override
        public void kill(String component, long pid) {
            killed.add(component + "/" + pid);
            pids.remove(component);
            unanswering.remove(component);
        }

        @Override
        public long restart(String component) {
            int fails = failing.getOrDefault(component, 0);
            if (fails > 0) {
                failing.put(component, fails - 1);
                throw new IllegalStateException("port taken");
            }
            restarts.add(component);
            long pid = nextPid++;
            pids.put(component, pid);
            return pid;
        }
    }

    /** Alert events as "down NAME@WALL" / "up NAME@WALL". */
    static final class RecordingAlerts implements ComponentAlerts {
        final List<String> events = new ArrayList<>();

        final List<String> details = new ArrayList<>();

        @Override
        public void down(String component, long sinceMillis, String detail) {
            events.add("down " + component + "@" + sinceMillis);
            details.add(detail);
        }

        @Override
        public void up(String component, long atMillis) {
            events.add("up " + component + "@" + atMillis);
        }
    }
}
