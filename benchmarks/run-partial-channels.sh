#!/usr/bin/env bash
# PC-DARTS partial channel connections: seconds per first-order DARTS search step and peak memory
# (with the estimate nas search prints) at K = 1, 2, 4, at the DARTS search configuration (C=16,
# 8 cells, 3x32x32) with batch 32 and DARTS' own batch 64. Each configuration runs in its own JVM
# (peak memory is its own); the K values alternate within each round so drifting load hits all alike.
# Usage: benchmarks/run-partial-channels.sh [rounds] [warmup] [steps]   (build first: mvn -q -DskipTests package)
# One intra-op thread: the default of ./nas (NativeRuntime), like a user's search.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"; warmup="${2:-1}"; steps="${3:-3}"
cp="benchmarks/target/classes:benchmarks/target/lib/*"
out="benchmarks/results/partial-channels-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
mkdir -p benchmarks/results
for r in $(seq "$rounds"); do
  for batch in 32 64; do
    for k in 1 2 4; do
      TORCH_CPP_LOG_LEVEL=ERROR java -Xmx2g -Dai.djl.offline=true -cp "$cp" \
        dev.nas.benchmarks.scenarios.SearchStepScenario darts 16 8 "$batch" 3x32x32 "$warmup" "$steps" 1 1 "$k" \
        | tr -d '\n' >> "$out"
      echo >> "$out"
    done
  done
done
echo "results: $out"
