#!/usr/bin/env bash
# The comparison users want (issue 11, evidence 3): on Fashion-MNIST at one latency budget, over
# 3 seeds, test accuracy against measured latency for
#   darts+budget  DARTS with the budget as its latency target and hard budget, at C=16 (its table's width),
#   darts         the same search without the budget, its network's width scaled to the budget by measurement,
#   random        uniform random genotypes (redrawn until one can meet the budget at some width), width-scaled,
#   random+budget uniform random genotypes redrawn until one meets the budget at C=16, kept at C=16,
#   resnet        the hand-crafted ResNet-20 layout, width-scaled the same way,
# all retrained with one recipe. The budget is 0.7x the mean measured latency of the table's
# held-out uniform random networks at C=16 (a typical network of the space at that width).
# Afterwards every exported network is re-measured (ONNX Runtime, 1 thread, batch 1, 200 calls,
# 3 rounds alternating between the networks) and tabulated with mean +- std per method.
# Usage: benchmarks/run-latency-compare.sh [results-dir] [remeasure-only]
# (needs dataset-fashion-mnist; build first: mvn -q -DskipTests install)
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-benchmarks/results/latency-compare-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$R"
if [[ "${2:-}" != "remeasure-only" ]]; then
  [[ -f "$R/lut.json" ]] || ./nas lut --space darts --macro cifar --channels 16 --layers 8 --input 1x28x28 --classes 10 \
    --threads 1 --warmup 10 --iterations 50 --calibrate 10 --check 10 --out "$R/lut.json" | tee "$R/lut.txt"
  T=$(python3 - "$R/lut.txt" <<'PY'
import re, sys
ms = [float(m) for m in re.findall(r"seed 10000\d\d: measured ([0-9.]+) ms", open(sys.argv[1]).read())]
print(round(0.7 * sum(ms) / len(ms), 3))
PY
)
  echo "latency budget: $T ms" | tee "$R/budget.txt"
  ./nas compare --dataset fashion-mnist --methods random,random+budget,darts,darts+budget --baselines resnet --seeds 3 \
    --max-latency-ms "$T" --budget-channels 16 --lut "$R/lut.json" --search-samples 800 --search-epochs 3 \
    --warmup-epochs 1 --search-channels 4 --search-layers 5 --search-batch 32 --train-samples 2000 --train-epochs 2 \
    --layers 8 --train-batch 64 --bench-warmup 10 --bench-iterations 100 --threads 1 --out "$R/compare" \
    2>&1 | tee "$R/compare.log" | grep -E "^== compare run .* done|fitting|budget|error" || true
fi
runs=$(cd "$R/compare" && ls -d *-seed*/ | tr -d / | grep -v partial)
for round in 1 2 3; do
  for r in $runs; do
    ./nas bench --model "$R/compare/$r/model.onnx" --batch 1 --threads 1 --warmup 20 --iterations 200 --json \
      > "$R/compare/$r/remeasure-$round.json" 2>/dev/null
  done
done
python3 - "$R" $runs <<'PY' | tee "$R/table.md"
import json, statistics, sys, os
root, runs = sys.argv[1], sys.argv[2:]
budget = float(open(os.path.join(root, "budget.txt")).read().split()[-2])
rows = {}
for r in runs:
    d = os.path.join(root, "compare", r)
    res = json.load(open(os.path.join(d, "result.json")))
    p50 = []
    for k in (1, 2, 3):
        b = json.load(open(os.path.join(d, f"remeasure-{k}.json")))
        b = b["results"] if isinstance(b, dict) else b
        p50.append([x for x in b if x["batchSize"] == 1][0]["latency"]["p50Ms"])
    rows.setdefault(res["method"], []).append((res, statistics.median(p50)))
def ms(v, d=3):
    return f"{statistics.mean(v):.{d}f} ± {statistics.stdev(v):.{d}f}" if len(v) > 1 else f"{v[0]:.{d}f}"
print(f"Budget {budget} ms (ONNX Runtime CPU, 1 thread, batch 1). Latency re-measured quietly after all runs "
      "(median of 3 rounds of p50 over 200 calls).\n")
print("| method | seeds | test top-1 (%) | re-measured latency (ms) | within budget | width | MACs (M) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for m, v in rows.items():
    acc = [100 * x["testTop1"] for x, _ in v]
    lat = [l for _, l in v]
    print(f"| {m} | {len(v)} | {ms(acc, 2)} | {ms(lat)} | {sum(l <= budget for l in lat)}/{len(v)} | "
          f"{', '.join(str(x['width']) for x, _ in v)} | {statistics.mean(x['macs'] for x, _ in v)/1e6:.2f} |")
print()
for m, v in rows.items():
    for x, l in v:
        print(f"- {m} seed {x['seed']}: {100*x['testTop1']:.2f}%, {l:.3f} ms (in-run {x['latencyMs']:.3f}), width {x['width']}")
PY
