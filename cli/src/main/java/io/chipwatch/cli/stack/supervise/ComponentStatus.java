package io.chipwatch.cli.stack.supervise;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the supervisor knows of one component, as {@code status} reads it from the supervisor's state file.
 *
 * @param state         {@code up}, {@code restarting} (found down, a restart is due) or {@code gave-up}
 * @param pid           the pid it runs under, when up
 * @param restarts      how many times the supervisor started it again since {@code up}
 * @param downSince     when it was found down (epoch ms), while it is not up
 * @param lastRestartAt when the supervisor last started it again (epoch ms)
 * @param lastError     why the last restart failed, if it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComponentStatus(String state, Long pid, int restarts, Long downSince, Long lastRestartAt,
                              String lastError) {
    public static final String UP = "up";
    public static final String RESTARTING = "restarting";
    public static final String GAVE_UP = "gave-up";
}
