#!/usr/bin/env bash
# Seconds per DARTS search step (first and second order), share of time in libtorch operators,
# peak memory vs the estimate. The DARTS search configuration: C=16, 8 cells, batch 32, 3x32x32.
# Each configuration runs in its own JVM so peak memory is its own.
# Usage: benchmarks/run-search-step.sh [threads] [warmup] [steps]   (build first: mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"; warmup="${2:-2}"; steps="${3:-5}"
cp="benchmarks/target/classes:benchmarks/target/lib/*"
for algo in darts darts2; do
  OMP_WAIT_POLICY=PASSIVE TORCH_CPP_LOG_LEVEL=ERROR java -Xmx2g -Dai.djl.offline=true -cp "$cp" \
    dev.nas.benchmarks.scenarios.SearchStepScenario "$algo" 16 8 32 3x32x32 "$warmup" "$steps" 1 "$threads"
done
