#!/usr/bin/env bash
# Starts JShell with the SDK and its dependencies on the class path and the API imported.
# Run it from anywhere: examples/jshell.sh [jshell options]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -pl examples -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/jshell-classpath.txt -DincludeScope=runtime
cp="$root/examples/target/classes:$(cat "$root/examples/target/jshell-classpath.txt")"
exec jshell --class-path "$cp" --startup DEFAULT --startup "$root/examples/jshell/startup.jsh" "$@"
