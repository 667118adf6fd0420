#!/usr/bin/env bash
# Latency-table accuracy (issue 11, evidence 1): a table of DARTS' cifar evaluation network
# (C=36, 20 cells, 3x32x32, 10 classes) on ONNX Runtime CPU, calibrated on N random networks,
# then checked on 20 other random networks (held out: seeds 1000000..1000019) - the mean and max
# absolute percentage error of the predicted against the measured latency, uncorrected and with the
# calibration. Usage: benchmarks/run-lut-accuracy.sh [threads] [calibrate] [iterations]
# (build first: mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-1}"; calibrate="${2:-10}"; iterations="${3:-50}"
mkdir -p benchmarks/results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
table="benchmarks/results/lut-darts-cifar-t${threads}-${stamp}.json"
./nas lut --space darts --macro cifar --channels 36 --layers 20 --input 3x32x32 --classes 10 --runtime ort \
  --threads "$threads" --warmup 10 --iterations "$iterations" --calibrate "$calibrate" --check 20 --out "$table" \
  | tee "benchmarks/results/lut-accuracy-t${threads}-${stamp}.txt"
echo "table: $table"
