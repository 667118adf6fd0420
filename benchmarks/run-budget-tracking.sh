#!/usr/bin/env bash
# Budget tracking on Fashion-MNIST (issue 11, evidence 2): the unconstrained search's derived
# network, then latency-targeted searches at 1x, 0.8x, 0.6x, 0.5x and 0.25x of that network's
# measured latency (each with the same value as a hard budget; those below the space's cheapest
# network are refused up front) and one MACs-targeted search at 0.5x its
# MACs, all through nas pipeline with one training recipe. At the end every exported network is
# re-measured on ONNX Runtime (1 thread, batch 1, 200 calls, 3 rounds alternating between the
# networks) so that the reported latencies do not depend on what else ran during the pipelines.
# Usage: benchmarks/run-budget-tracking.sh [results-dir]     (needs dataset-fashion-mnist; build first)
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-benchmarks/results/budget-tracking-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$R"
common=(--dataset fashion-mnist --search-samples 800 --search-epochs 3 --warmup-epochs 1 --search-channels 4
  --search-layers 5 --search-batch 32 --train-samples 2000 --train-epochs 2 --channels 16 --layers 8
  --train-batch 64 --seed 2)
# the table of the derived network (cifar macro, C=16, 8 cells, 1x28x28, 10 classes), measured as the
# pipeline's check measures: ONNX Runtime CPU, 1 thread, batch 1
[[ -f "$R/lut.json" ]] || ./nas lut --space darts --macro cifar --channels 16 --layers 8 --input 1x28x28 --classes 10 \
  --threads 1 --warmup 10 --iterations 50 --calibrate 10 --check 10 --out "$R/lut.json" | tee "$R/lut.txt"
[[ -f "$R/free/summary.json" ]] || ./nas pipeline "${common[@]}" --out "$R/free" > "$R/free.log" 2>&1 || true
read -r L0 M0 < <(python3 -c "import json,sys; d=json.load(open('$R/free/summary.json'));
b=[x for x in d['bench'] if x['runtime']=='ort' and x['batchSize']==1][0]; print(b['latency']['p50Ms'], d['macs'])")
echo "unconstrained: ${L0} ms, ${M0} MACs"
for f in 1 0.8 0.6 0.5 0.25; do
  t=$(python3 -c "print(round($L0*$f, 4))")
  [[ -f "$R/lat-$f/summary.json" ]] || ./nas pipeline "${common[@]}" --target-latency "$t" --max-latency-ms "$t" \
    --lut "$R/lut.json" --out "$R/lat-$f" > "$R/lat-$f.log" 2>&1 || true
done
m=$(python3 -c "print(int($M0*0.5))")
[[ -f "$R/macs-0.5/summary.json" ]] || ./nas pipeline "${common[@]}" --target-macs "$m" --max-macs "$m" \
  --out "$R/macs-0.5" > "$R/macs-0.5.log" 2>&1 || true
# quiet re-measurement, alternating
runs=(free lat-1 lat-0.8 lat-0.6 lat-0.5 lat-0.25 macs-0.5)
for round in 1 2 3; do
  for r in "${runs[@]}"; do
    [[ -f "$R/$r/model.onnx" ]] || continue
    ./nas bench --model "$R/$r/model.onnx" --batch 1 --threads 1 --warmup 20 --iterations 200 --json \
      > "$R/$r/remeasure-$round.json" 2>/dev/null
  done
done
python3 - "$R" "${runs[@]}" <<'PY' | tee "$R/table.md"
import json, statistics, sys, os
root, runs = sys.argv[1], sys.argv[2:]
print("| run | target | predicted | measured p50 (re-measured, median of 3) | error vs target | budget held | test top-1 | MACs |")
print("|---|---:|---:|---:|---:|---|---:|---:|")
for r in runs:
    d = os.path.join(root, r)
    if not os.path.exists(os.path.join(d, "summary.json")):
        log = open(os.path.join(root, r + ".log")).read().strip().splitlines()
        print(f"| {r} | | | | | refused: {log[-1] if log else '?'} | | |")
        continue
    s = json.load(open(os.path.join(d, "summary.json")))
    p50 = []
    for k in (1, 2, 3):
        b = json.load(open(os.path.join(d, f"remeasure-{k}.json")))
        res = b["results"] if isinstance(b, dict) else b
        p50.append([x for x in res if x["batchSize"] == 1][0]["latency"]["p50Ms"])
    lat = statistics.median(p50)
    tg = [c for c in s.get("costTargets", []) if c["kind"] == "target"]
    if tg:
        c = tg[0]
        unit = c["metric"]
        meas = lat if unit == "latency" else s["macs"]
        err = 100 * (meas - c["limit"]) / c["limit"]
        held = "yes" if meas <= c["limit"] else "no"
        fmt = (lambda v: f"{v:.3f} ms") if unit == "latency" else (lambda v: f"{v/1e6:.2f}M MACs")
        print(f"| {r} | {fmt(c['limit'])} | {fmt(c['predicted'])} | {lat:.3f} ms | {err:+.1f}% | {held} | "
              f"{100*s['testTop1']:.2f}% | {s['macs']/1e6:.2f}M |")
    else:
        print(f"| {r} | — | — | {lat:.3f} ms | — | — | {100*s['testTop1']:.2f}% | {s['macs']/1e6:.2f}M |")
PY
