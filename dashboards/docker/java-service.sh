#!/bin/sh
# docker-compose entry point of the project's Java services: java-service.sh MODULE MAIN-CLASS [ARGS...]
# Runs MAIN-CLASS from /chipwatch/MODULE/target/classes and the module's runtime classpath (see classpath.sh), with
# JAVA_OPTS from the environment. Every environment variable named in REQUIRED_ENV (space-separated) must be
# set and non-empty, or the service refuses to start: there are no default secrets.
set -eu
. /chipwatch/dashboards/docker/classpath.sh
for name in ${REQUIRED_ENV:-}; do
    eval "value=\${$name:-}"
    if [ -z "$value" ]; then
        echo "$2: set $name in the environment (no default secret)" >&2
        exit 1
    fi
done
module="$1"
main="$2"
shift 2
cp="$(chipwatch_classpath "$module")"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "$cp" "$main" "$@"
