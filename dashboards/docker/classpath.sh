# shellcheck shell=sh
# Sourced by the docker-compose Java services. The project has no fat jars: each module writes
# target/runtime.classpath with the absolute paths of the machine that built it (its ~/.m2/repository and, in a
# reactor build, sibling modules' target/ folders). In the containers the checkout is mounted at /chipwatch and the
# Maven repository at /m2, so those paths are rewritten:
#   .../.m2/repository/<path>         -> /m2/<path>
#   .../<module>/target/<rest>        -> /chipwatch/<module>/target/<rest>
chipwatch_classpath() {
    module="$1"
    file="/chipwatch/$module/target/runtime.classpath"
    if [ ! -f "$file" ]; then
        echo "no $file: build the project first (mvn -o -q -B install -DskipTests, or ./telemetry test)" >&2
        return 1
    fi
    printf '%s' "/chipwatch/$module/target/classes"
    tr ':' '\n' < "$file" \
        | sed -e 's#^.*/\.m2/repository/#/m2/#' -e 's#^.*/\([^/][^/]*\)/target/\(.*\)$#/chipwatch/\1/target/\2#' \
        | while IFS= read -r entry; do [ -n "$entry" ] && printf ':%s' "$entry"; done
}
