#!/usr/bin/env bash
# PV-NAS' Fig. 4 at small scale (Wang et al., Section 4.1): with a cosine weight learning rate the
# search collapses to skip/none cells, with the paper's step decay it does not. Three seeds of
# --algo pvnas (space pvnas, its defaults otherwise: step ×0.1 every quarter of the epochs, α Adam
# 1e-3 betas (0, 0.999)) with --lr-schedule step and with cosine, on the synthetic motion task
# (256 clips, half for α), C=8, 4 epochs of batch 16, one thread; counts the skip_connect and none
# edges of the four found cells (32 edges; none is never kept by the DARTS rule, so it appears
# only as what the skip count leaves).
# Usage: benchmarks/run-pvnas-schedules.sh [results-dir] [epochs, default 4]   (build first: mvn -q -DskipTests install)
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-benchmarks/results/pvnas-schedules-$(date -u +%Y%m%dT%H%M%SZ)}"
EPOCHS="${2:-4}"
mkdir -p "$R"
for seed in 0 1 2; do
  for schedule in step cosine; do
    run="$R/$schedule-seed$seed"
    rm -rf "$run"
    ./nas search --algo pvnas --space pvnas --dataset synthetic-video --train-samples 256 --test-samples 64 \
      --epochs "$EPOCHS" --channels 8 --batch 16 --seed "$seed" --lr-schedule "$schedule" --threads 1 --out "$run" \
      > "$run.log" 2>&1
    rm -f "$run"/*.safetensors
  done
done
python3 - "$R" <<'PY' | tee "$R/summary.txt"
import json, sys
r = sys.argv[1]
print("schedule  seed  skip_connect  parameter-free  of edges  final search-val acc")
for schedule in ["step", "cosine"]:
    for seed in range(3):
        g = json.load(open(f"{r}/{schedule}-seed{seed}/genotype.json"))
        edges = [e for c in g["cells"].values() for node in c["nodes"] for e in node]
        skips = sum(e["op"] == "skip_connect" for e in edges)
        free = sum(e["op"] in ("skip_connect", "none", "max_pool_3x3", "avg_pool_3x3") for e in edges)
        h = json.load(open(f"{r}/{schedule}-seed{seed}/history.json"))[-1]
        print(f"{schedule:8}  {seed:4}  {skips:12}  {free:14}  {len(edges):8}  {100 * h.get('evalValAcc', float('nan')):.1f}%")
PY
