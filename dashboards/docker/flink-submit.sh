#!/bin/sh
# docker-compose's flink-submit services: each keeps one job running on the Flink session cluster.
# Every 30 s it asks the JobManager's REST API whether a job named JOB_NAME (default chipwatch-aggregation) is
# RUNNING (or starting); if not, it uploads stream-jobs' jar and runs ENTRY_CLASS (default
# io.chipwatch.jobs.aggregation.AggregationJob) with the arguments in JOB_ARGS (or AGGREGATION_ARGS). A re-submitted
# job resumes from the Kafka offsets its consumer group committed at its last checkpoint. The same two REST calls submit it by hand:
#   curl -F jarfile=@stream-jobs/target/stream-jobs-0.1.0-SNAPSHOT.jar http://localhost:8081/jars/upload
#   curl -H 'Content-Type: application/json' -d '{"entryClass":"io.chipwatch.jobs.aggregation.AggregationJob",
#        "programArgsList":["--bootstrap","kafka:9092","--influx-url","http://influxdb:8086"]}' \
#        http://localhost:8081/jars/<id>/run
# (<id> is the file name in the upload's answer.) JOB_ARGS are split at spaces: no quoting inside.
set -eu
rest="${FLINK_REST:-http://flink-jobmanager:8081}"
jar="${JOB_JAR:-/chipwatch/stream-jobs/target/stream-jobs-0.1.0-SNAPSHOT.jar}"
name="${JOB_NAME:-chipwatch-aggregation}"
entry="${ENTRY_CLASS:-io.chipwatch.jobs.aggregation.AggregationJob}"
args="${JOB_ARGS:-${AGGREGATION_ARGS:?set JOB_ARGS}}"

running() {
    # One job per line; the job counts as running while it is being created, restarted or is running.
    curl -sf "$rest/jobs/overview" | sed 's/},{/}\n{/g' | grep "\"name\":\"$name\"" \
        | grep -Eq '"state":"(RUNNING|CREATED|INITIALIZING|RESTARTING|RECONCILING)"'
}

submit() {
    [ -f "$jar" ] || { echo "flink-submit: no $jar: build the project first" >&2; return 1; }
    upload="$(curl -sf -F "jarfile=@$jar" "$rest/jars/upload")" || { echo "flink-submit: upload failed" >&2; return 1; }
    id="$(printf '%s' "$upload" | sed -n 's#.*"filename":"[^"]*/\([^"/]*\)".*#\1#p')"
    [ -n "$id" ] || { echo "flink-submit: unexpected upload answer: $upload" >&2; return 1; }
    list=""
    for word in $args; do
        list="$list${list:+,}\"$word\""
    done
    body="{\"entryClass\":\"$entry\",\"programArgsList\":[$list]}"
    curl -sf -H 'Content-Type: application/json' -d "$body" "$rest/jars/$id/run" \
        && echo "flink-submit: submitted $name ($id) with: $args"
}

while true; do
    if ! running; then
        submit || true
    fi
    sleep "${CHECK_SECONDS:-30}"
done
