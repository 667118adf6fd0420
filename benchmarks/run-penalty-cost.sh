#!/usr/bin/env bash
# Which cost the penalty is taken at (issue 11, the over-shoot of the budget-aware search): the
# expected cost E under the mixing weights, or the cost D of the genotype the current α derives
# (--penalty-cost derived; gradient through E). Per seed: the unconstrained search, then one search
# per form aiming at one MACs target (default 20M: between the space's cheapest network at this
# size, 14.99M, and the expectation under uniform α, 32.5M), with no hard budget so that where the
# penalty alone leads is what is measured. MACs are counted, not
# timed: the comparison does not depend on the machine's speed. Every run is nas pipeline with the
# Fashion-MNIST recipe of run-budget-tracking.sh (derived network trained 2 epochs, full test set).
# Usage: benchmarks/run-penalty-cost.sh [results-dir] [seeds] [target-macs]   (needs dataset-fashion-mnist; build first)
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-benchmarks/results/penalty-cost-$(date -u +%Y%m%dT%H%M%SZ)}"
SEEDS="${2:-0 1 2}"
TARGET="${3:-20000000}"
mkdir -p "$R"
common=(--dataset fashion-mnist --search-samples 800 --search-epochs 3 --warmup-epochs 1 --search-channels 4
  --search-layers 5 --search-batch 32 --train-samples 2000 --train-epochs 2 --channels 16 --layers 8
  --train-batch 64 --bench-batch 1)
for seed in $SEEDS; do
  [[ -f "$R/free-$seed/summary.json" ]] || ./nas pipeline "${common[@]}" --seed "$seed" --out "$R/free-$seed" \
    > "$R/free-$seed.log" 2>&1
  for form in expected derived; do
    [[ -f "$R/$form-$seed/summary.json" ]] || ./nas pipeline "${common[@]}" --seed "$seed" --target-macs "$TARGET" \
      --penalty-cost "$form" --out "$R/$form-$seed" > "$R/$form-$seed.log" 2>&1
  done
done
python3 - "$R" "$SEEDS" <<'PY' | tee "$R/table.md"
import json, os, re, statistics, sys
root, seeds = sys.argv[1], sys.argv[2].split()
FREE = {"skip_connect", "max_pool_3x3", "avg_pool_3x3", "none"}
def row(run):
    d = os.path.join(root, run)
    s = json.load(open(os.path.join(d, "summary.json")))
    ops = re.findall(r"\('([a-z0-9_]+)', \d+\)", s["genotype"])
    h = json.load(open(os.path.join(d, "search", "history.json")))
    log = open(os.path.join(d, "search", "log.txt")).read()
    return s, ops, h, log
print("| seed | penalty on | target MACs | expected MACs at the end | derived MACs | derived / target | parameter-free edges of 16 | collapse warnings | test top-1 |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
agg = {}
for seed in seeds:
    s0, ops0, _, log0 = row(f"free-{seed}")
    print(f"| {seed} | (no target) | — | — | {s0['macs']/1e6:.2f}M | — | {sum(o in FREE for o in ops0)} | "
          f"{log0.count('collapse')} | {100*s0['testTop1']:.2f}% |")
    agg.setdefault("free", []).append((s0["macs"] / 1e6, None, 100 * s0["testTop1"]))
    for form in ("expected", "derived"):
        s, ops, h, log = row(f"{form}-{seed}")
        c = h[-1]["cost"]
        print(f"| {seed} | {form} | {c['target']/1e6:.2f}M | {c['expected']/1e6:.2f}M | {s['macs']/1e6:.2f}M | "
              f"{s['macs']/c['target']:.2f} | {sum(o in FREE for o in ops)} | {log.count('collapse')} | "
              f"{100*s['testTop1']:.2f}% |")
        agg.setdefault(form, []).append((s["macs"] / 1e6, s["macs"] / c["target"], 100 * s["testTop1"]))
print()
print("| penalty on | derived MACs, mean | derived / target, mean ± std | test top-1, mean ± std |")
print("|---|---:|---:|---:|")
sd = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0
for form, rows in agg.items():
    m = [r[0] for r in rows]; a = [r[2] for r in rows]; q = [r[1] for r in rows if r[1] is not None]
    ratio = f"{statistics.mean(q):.2f} ± {sd(q):.2f}" if q else "—"
    print(f"| {form if form != 'free' else '(no target)'} | {statistics.mean(m):.2f}M | {ratio} | "
          f"{statistics.mean(a):.2f} ± {sd(a):.2f} |")
PY
