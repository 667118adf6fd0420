#!/usr/bin/env bash
# Loopback load test of nas serve: DARTS_V2 (CIFAR macro, C=16, 8 cells, 3x32x32) exported to ONNX and
# served in-process on 127.0.0.1; 16 closed-loop clients send JSON requests of one image, with dynamic
# batching on and then off; then the server's overhead against a direct ONNX Runtime call at batch 1
# with the same intra-op threads; and JSON with batching on while [slow clients] idle connections declaring
# 64 MiB bodies trickle one byte per 5 s (0 leaves that mode out). Zero errors required (exit status 1
# otherwise). JSON report on stdout.
# Usage: benchmarks/run-serve-load.sh [clients] [requests per mode] [workers] [threads per worker] [max batch]
#        [delay us] [overhead requests] [slow clients]
#        (build first: mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-16}"; requests="${2:-3000}"; workers="${3:-2}"; threads="${4:-1}"; maxbatch="${5:-8}"
delay="${6:-2000}"; overhead="${7:-500}"; slow="${8:-80}"
exec java -Xmx2g -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
  dev.nas.benchmarks.scenarios.ServeLoadScenario "$clients" "$requests" "$threads" 16 8 "$maxbatch" "$delay" \
  "$workers" "$overhead" "$slow"
