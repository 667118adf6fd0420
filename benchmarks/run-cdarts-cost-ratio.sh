#!/usr/bin/env bash
# CDARTS' Eq. 12 (Section 4.7): an E-Net step should cost about N_E·ED_E·OP_E / (N_S·ED_S·OP_S) of
# an S-Net step, since the E-Net has more cells but one operation per kept edge. Measures both per
# step in one cdarts search per preset shape (cdarts-cifar: S-Net 8 cells, E-Net 20, C=16;
# cdarts-nb201: both NAS-Bench-201's 15-cell network, C=16) on synthetic 3x32x32 data at batch 16
# (the paper's 64 does not fit the time of a 2-core run), 2 epochs of 16 S-Net steps, one thread;
# reports each epoch's seconds per step from history.json with the genotype the E-Net had (its cost
# follows the genotype: Eq. 12 assumes one computed operation on every edge, NAS-Bench-201 cells may
# keep none edges and leave nodes dead); keeps logs, history and genotypes, not the weights.
# Usage: benchmarks/run-cdarts-cost-ratio.sh [results-dir]   (build first: mvn -q -DskipTests install)
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-benchmarks/results/cdarts-cost-ratio-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$R"
for preset in cdarts-cifar cdarts-nb201; do
  rm -rf "$R/$preset"
  ./nas search --preset "$preset" --dataset synthetic --input 3x32x32 --classes 10 --train-samples 512 \
    --test-samples 64 --batch 16 --epochs 2 --threads 1 --out "$R/$preset" > "$R/$preset.log" 2>&1
  rm -rf "$R/$preset/enet" "$R/$preset"/*.safetensors
done
python3 - "$R" <<'PY' | tee "$R/summary.txt"
import json, sys
r = sys.argv[1]
# cells, kept edges per cell, operations computed per edge (none is never computed)
shapes = {"cdarts-cifar": ((20, 8, 1), (8, 14, 7)), "cdarts-nb201": ((15, 6, 1), (15, 6, 4))}
print("preset        epoch  S-Net s/step  E-Net s/step  E/S measured  Eq. 12  E-Net params  E-Net genotype")
for p, (e, s) in shapes.items():
    eq = (e[0] * e[1] * e[2]) / (s[0] * s[1] * s[2])
    for h in json.load(open(f"{r}/{p}/history.json")):
        print(f"{p:13} {h['epoch']:5}  {h['snetSecondsPerStep']:12.3f}  {h['enetSecondsPerStep']:12.3f}"
              f"  {h['enetSecondsPerStep'] / h['snetSecondsPerStep']:12.3f}  {eq:6.3f}  {h['enetParams']:12,}"
              f"  {h['genotype'][:100]}")
PY
