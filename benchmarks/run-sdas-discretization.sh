#!/usr/bin/env bash
# SDAS' Table 1/2 at small scale (Qiu et al., Sections 3.2 and 6.1): as the decisions are taken,
# how far the search space shrinks (reachable discrete architectures against t/T) and how far the
# relaxed supernet's accuracy is from the discrete network's with the search's own weights, for
# sdas-a/b/c (one decision queue across the cell types, the paper's default) and das (nothing
# decided until the end). Fashion-MNIST, space o2d, C=8, 5 cells, 1024 training images (half for
# the weights, half for α/β), 4 epochs of batch 32, one seed, one thread (two were slower here).
# Usage: benchmarks/run-sdas-discretization.sh [results-dir]
# (needs dataset-fashion-mnist; build first: mvn -q -DskipTests install)
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-benchmarks/results/sdas-discretization-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$R"
for algo in das sdas-a sdas-b sdas-c; do
  rm -rf "$R/$algo"
  ./nas search --algo "$algo" --space o2d --dataset fashion-mnist --data-dir /usr/share/datasets/fashion-mnist \
    --train-samples 1024 --test-samples 500 --layers 5 --channels 8 --batch 32 --epochs 4 --seed 0 --threads 1 \
    --out "$R/$algo" > "$R/$algo.log" 2>&1
  rm -f "$R/$algo"/*.safetensors
done
python3 - "$R" <<'PY' | tee "$R/summary.txt"
import json, sys
r = sys.argv[1]
print("algo     epoch  t/T    decisions   reachable   relaxed val  discrete val  gap")
for algo in ["das", "sdas-a", "sdas-b", "sdas-c"]:
    hist = json.load(open(f"{r}/{algo}/history.json"))
    for h in hist:
        made, need = h.get("decisionsMade", 0), h.get("decisionsNeeded", 0)
        size = h.get("searchSpaceSize")
        rel, dis = 100 * h["evalValAcc"], 100 * h["discreteValAcc"]
        print(f"{algo:8} {h['epoch']:5}  {h['epoch'] / len(hist):.2f}  {made:4}/{need:<4}  {float(size):10.3g}"
              f"  {rel:10.2f}%  {dis:11.2f}%  {rel - dis:+6.2f}")
PY
