#!/bin/bash
# docker-compose entry point of the Flink cluster: flink.sh jobmanager|taskmanager
# A standalone Flink 2.2 session cluster without flink-dist: the JVMs run from stream-jobs' runtime classpath
# (flink-runtime, flink-streaming-java, flink-clients, flink-runtime-web, connectors, log4j), which also holds the
# job's own classes, so a submitted job finds every dependency on the cluster. Memory flags come from Flink's
# BashJavaUtils, as Flink's own launch scripts do. The job is submitted by the flink-submit service (flink-submit.sh).
set -euo pipefail
. /chipwatch/dashboards/docker/classpath.sh
role="$1"
cp="$(chipwatch_classpath stream-jobs)"
conf=/tmp/flink-conf
tmp=/tmp/flink-tmp
mkdir -p "$conf" "$tmp"
cat > "$conf/config.yaml" <<YAML
jobmanager.rpc.address: ${FLINK_JOBMANAGER_HOST:-flink-jobmanager}
jobmanager.rpc.port: 6123
jobmanager.bind-host: 0.0.0.0
jobmanager.memory.process.size: ${FLINK_JOBMANAGER_MEMORY:-1024m}
taskmanager.bind-host: 0.0.0.0
taskmanager.host: $(hostname -i | awk '{print $1}')
taskmanager.rpc.port: 6122
taskmanager.numberOfTaskSlots: ${FLINK_TASK_SLOTS:-2}
taskmanager.memory.process.size: ${FLINK_TASKMANAGER_MEMORY:-1536m}
parallelism.default: ${FLINK_TASK_SLOTS:-2}
blob.server.port: 6124
rest.address: ${FLINK_JOBMANAGER_HOST:-flink-jobmanager}
rest.bind-address: 0.0.0.0
rest.port: 8081
web.submit.enable: true
web.tmpdir: $tmp
io.tmp.dirs: $tmp
execution.checkpointing.interval: 10s
# A job's main() runs inside the JobManager when submitted through REST: a System.exit there (e.g. on a usage error)
# must fail the submission, not end the JobManager.
cluster.intercept-user-system-exit: THROW
# The jobs' self-metrics (stream-jobs' PipelineMetrics: pipeline_job, pipeline_operator, pipeline_dead_letters) for the
# pipeline dashboard. Reporters belong to the cluster, so a job submitted here cannot bring its own. Without Flink's
# filter the reporter still writes only the metrics of its table; the filter just spares it the others.
metrics.reporter.chipwatch_influx.factory.class: io.chipwatch.jobs.metrics.InfluxMetricsReporterFactory
metrics.reporter.chipwatch_influx.interval: 10s
metrics.reporter.chipwatch_influx.url: ${CHIPWATCH_METRICS_INFLUX_URL:-http://influxdb:8086}
metrics.reporter.chipwatch_influx.database: ${CHIPWATCH_METRICS_INFLUX_DB:-telemetry}
YAML
case "$role" in
    jobmanager) params=GET_JM_RESOURCE_PARAMS; main=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint ;;
    taskmanager) params=GET_TM_RESOURCE_PARAMS; main=org.apache.flink.runtime.taskexecutor.TaskManagerRunner ;;
    *) echo "usage: flink.sh jobmanager|taskmanager" >&2; exit 2 ;;
esac
# Line 1: JVM memory flags; line 2: the -D options that go after the main class.
mapfile -t resources < <(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$params" --configDir "$conf" \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')
if [ "${#resources[@]}" -lt 1 ]; then
    echo "BashJavaUtils printed no memory settings for $role" >&2
    exit 1
fi
# The openings Flink's launch scripts pass on Java 17 (Kryo, the RPC layer, REST job submission need them).
opens="-XX:+IgnoreUnrecognizedVMOptions --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
 --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
 --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
# shellcheck disable=SC2086
exec java ${resources[0]} $opens -Djava.io.tmpdir="$tmp" ${JAVA_OPTS:-} -cp "$cp" "$main" \
    --configDir "$conf" ${resources[1]:-}
