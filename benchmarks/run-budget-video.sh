#!/usr/bin/env bash
# Budget-aware search on clips (issue 11, evidence 4): SDAS-C on the oadv space (synthetic motion
# clips 3x8x32x32, 4 classes), its derived video-sdas network (C=8, K=1, C1=8) measured per clip on
# ONNX Runtime CPU (1 thread, batch 1). An unconstrained search (its genotype's latency predicted by
# the table), then a search with --target-latency and --max-latency at 0.6x that prediction; both
# genotypes derived, exported and re-measured alternately (3 rounds).
# Usage: benchmarks/run-budget-video.sh [results-dir]     (build first: mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-benchmarks/results/budget-video-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$R"
net=(--net-macro video-sdas --net-channels 8 --net-repeat 1 --net-stem-channels 8)
search=(search --algo sdas-c --space oadv --dataset synthetic-video --input 3x8x32x32 --classes 4 --epochs 3
  --warmup-epochs 1 --channels 8 --repeat 1 --stem-channels 8 --batch 16 --train-samples 256 --test-samples 64)
[[ -f "$R/lut.json" ]] || ./nas lut --space oadv --macro video-sdas --channels 8 --repeat 1 --stem-channels 8 \
  --input 3x8x32x32 --classes 4 --threads 1 --calibrate 8 --check 8 --out "$R/lut.json" | tee "$R/lut.txt"
[[ -f "$R/free/genotype.json" ]] || ./nas "${search[@]}" "${net[@]}" --lut "$R/lut.json" --max-latency 1000 \
  --out "$R/free" > "$R/free.log" 2>&1
p0=$(python3 -c "import json; h=json.load(open('$R/free/history.json')); print(h[-1]['cost']['predicted']['latency'])")
t=$(python3 -c "print(round($p0*0.6, 4))")
echo "unconstrained genotype: predicted ${p0} ms per clip; target and budget ${t} ms"
[[ -f "$R/target/genotype.json" ]] || ./nas "${search[@]}" "${net[@]}" --lut "$R/lut.json" --target-latency "$t" \
  --max-latency "$t" --out "$R/target" > "$R/target.log" 2>&1
for r in free target; do
  [[ -d "$R/$r/net" ]] || ./nas derive --genotype "$R/$r/genotype.json" --macro video-sdas --channels 8 --repeat 1 \
    --stem-channels 8 --input 3x8x32x32 --classes 4 --no-auxiliary --out "$R/$r/net" > /dev/null
  ./nas export --net "$R/$r/net" --format onnx --out "$R/$r/model.onnx" > /dev/null
done
for round in 1 2 3; do
  for r in free target; do
    ./nas bench --model "$R/$r/model.onnx" --batch 1 --threads 1 --warmup 20 --iterations 200 --json \
      > "$R/$r/remeasure-$round.json" 2>/dev/null
  done
done
python3 - "$R" "$t" <<'PY' | tee "$R/table.md"
import json, statistics, sys, os
root, target = sys.argv[1], float(sys.argv[2])
print("| search | target / budget | predicted per clip | measured p50 per clip (median of 3) | error | budget held |")
print("|---|---:|---:|---:|---:|---|")
for r in ("free", "target"):
    h = json.load(open(os.path.join(root, r, "history.json")))[-1]
    pred = h["cost"]["predicted"]["latency"]
    p50 = statistics.median(
        [x["latency"]["p50Ms"] for k in (1, 2, 3) for x in
         json.load(open(os.path.join(root, r, f"remeasure-{k}.json")))["results"] if x["batchSize"] == 1])
    t = "—" if r == "free" else f"{target:.3f} ms"
    held = "—" if r == "free" else ("yes" if p50 <= target else "no")
    print(f"| {r} | {t} | {pred:.3f} ms | {p50:.3f} ms | {100*(pred-p50)/p50:+.1f}% | {held} |")
PY
