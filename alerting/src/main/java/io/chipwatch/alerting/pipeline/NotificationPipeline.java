package io.chipwatch.alerting.pipeline;

import java.util.List;
import java.util.Optional;

/** Runs {@link Stage}s in order; stops at the first that leaves nothing. */
public final class NotificationPipeline {
    private final List<Stage> stages;

    public NotificationPipeline(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    public List<Stage> stages() {
        return stages;
    }

    /** The outcome of one run: the batch to send, or the name of the stage that stopped it. */
    public record Result(Optional<Batch> toSend, String stoppedBy) {
    }

    public Result run(Batch batch) {
        Batch current = batch;
        if (current.isEmpty()) {
            return new Result(Optional.empty(), "empty");
        }
        for (Stage stage : stages) {
            current = stage.apply(current);
            if (current.isEmpty()) {
                return new Result(Optional.empty(), stage.name());
            }
        }
        return new Result(Optional.of(current), null);
    }
}
