#!/bin/sh
# PTX front-end throughput: parse+translate of a large module made of renamed corpus copies, against
# ptxas -arch=sm_80 on the same file. Usage: frontend-ptx/src/test/bench/ptx-throughput.sh [COPIES] [OUT.ptx] [--no-ptxas]
# (60 copies is about 22 MB of PTX; ptxas then takes about 10 minutes). Add --no-ptxas as third argument to time
# only the translator. Needs JDK 25 (JAVA_HOME) and Maven; ptxas is optional.
set -e
cd "$(dirname "$0")/../../../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
mvn -q -o test-compile -pl frontend-ptx
CP_FILE=$(mktemp)
mvn -q -o dependency:build-classpath -pl frontend-ptx -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="frontend-ptx/target/classes:frontend-ptx/target/test-classes:$(cat "$CP_FILE")"
rm -f "$CP_FILE"
exec "$JAVA_HOME/bin/java" -Xmx6g -cp "$CP" org.transcuda.ptx.translate.PtxThroughputBenchmark "$@"
