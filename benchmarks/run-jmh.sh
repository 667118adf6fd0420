#!/usr/bin/env bash
# JMH: DARTS_V2 (CIFAR macro, C=36, 20 cells) inference on ONNX Runtime vs DJL at batch 1 and 32,
# same weights, input and thread count, in one run. Extra arguments go to JMH (e.g. -p threads=1).
# Usage: benchmarks/run-jmh.sh [JMH options]   (build first: mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
OMP_WAIT_POLICY=PASSIVE TORCH_CPP_LOG_LEVEL=ERROR exec java -Dai.djl.offline=true \
  -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main InferenceBenchmark \
  -f 1 -wi 3 -i 5 -w 5s -r 10s -jvmArgs "-Xmx3g -Dai.djl.offline=true" "$@"
