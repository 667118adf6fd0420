#!/usr/bin/env bash
# Search wall time of DAS vs SDAS-A/B/C on the o2d space with one configuration, in one JVM, as
# ratios DAS/SDAS (medians over rounds; rounds alternate the order of the algorithms). Default:
# C=8, 5 cells, 512 synthetic 3x16x16 samples (256 for weights, 256 for α/β), batch 32, 4 epochs,
# 3 rounds, 2 threads — about 16 minutes on 2 (shared) cores.
# Usage: benchmarks/run-sdas-search-time.sh [rounds] [epochs] [samples] [threads]
#        (build first: mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"; epochs="${2:-4}"; samples="${3:-512}"; threads="${4:-2}"
cp="benchmarks/target/classes:benchmarks/target/lib/*"
OMP_WAIT_POLICY=PASSIVE TORCH_CPP_LOG_LEVEL=ERROR java -Xmx2g -Dai.djl.offline=true -cp "$cp" \
  dev.nas.benchmarks.scenarios.SdasSearchTimeScenario "$rounds" "$epochs" "$samples" 8 5 32 "$threads"
