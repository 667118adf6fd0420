#!/usr/bin/env bash
# Launcher of the nas command line program (build it first: mvn -q -DskipTests package).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/cli/target/nas.jar"
if [[ ! -f "$jar" ]]; then
  echo "nas: $jar is missing; build it first with: mvn -q -DskipTests package" >&2
  exit 1
fi
# libtorch prints a deprecation notice on every start unless its log level is raised
export TORCH_CPP_LOG_LEVEL="${TORCH_CPP_LOG_LEVEL:-ERROR}"
# One intra-op thread per worker unless --threads or NAS_THREADS say otherwise (IntraOpThreads);
# where more are asked for, libtorch's OpenMP threads sleep, not spin, between operators, since
# spinning collapses when the cores are shared (see NativeRuntime)
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
exec java ${NAS_JAVA_OPTS:--Xmx4g} -Dai.djl.offline=true -jar "$jar" "$@"
