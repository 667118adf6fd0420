#!/usr/bin/env bash
# Video search spaces on the synthetic motion dataset (label = direction of motion, so one frame
# tells nothing): SDAS-C on o2d-video, o3d and oadv in the video-sdas macro, and PV-NAS on pvnas-s
# (Os only) and pvnas (Os + Ot) in the video-pvnas macro. Every searched genotype is derived and
# trained with the same budget; the summary lists genotypes, test accuracy and search/train times.
# Usage: benchmarks/run-video-spaces.sh [out] (build first: mvn -q -DskipTests package)
# Sizes can be changed through the environment (defaults below: about 30 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/video-spaces}"
FRAMES="${FRAMES:-8}" SIZE="${SIZE:-32}" CLASSES="${CLASSES:-4}"
SEARCH_SAMPLES="${SEARCH_SAMPLES:-512}" SEARCH_EPOCHS="${SEARCH_EPOCHS:-4}" SEARCH_C="${SEARCH_C:-8}"
TRAIN_SAMPLES="${TRAIN_SAMPLES:-2000}" TEST_SAMPLES="${TEST_SAMPLES:-500}" TRAIN_EPOCHS="${TRAIN_EPOCHS:-6}"
NET_C="${NET_C:-8}" SEED="${SEED:-1}"
data=(--dataset synthetic-video --frames "$FRAMES" --size "$SIZE" --classes "$CLASSES")
mkdir -p "$out"
summary="$out/summary.md"
{
  echo "# Video spaces on synthetic-video ($CLASSES classes, 3x${FRAMES}x${SIZE}x${SIZE})"
  echo
  echo "search: $SEARCH_SAMPLES samples (half for α), $SEARCH_EPOCHS epochs (1 warm-up), C=$SEARCH_C, K=1, C1=8, batch 16;"
  echo "train: $TRAIN_SAMPLES samples, $TRAIN_EPOCHS epochs, C=$NET_C, K=1, C1=16, batch 32; test: $TEST_SAMPLES clips; seed $SEED"
  echo
  echo "| algo | space | macro | search s | train s | params | MACs/clip | test top-1 | genotype |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$summary"
run() {
  local algo="$1" space="$2" t0 t1 t2
  local tag="$algo-$space"
  local dir="$out/$tag"
  rm -rf "$dir"; mkdir -p "$dir"
  t0=$(date +%s)
  ./nas search --algo "$algo" --space "$space" "${data[@]}" --train-samples "$SEARCH_SAMPLES" \
    --test-samples 64 --epochs "$SEARCH_EPOCHS" --warmup-epochs 1 --channels "$SEARCH_C" --repeat 1 \
    --stem-channels 8 --batch 16 --seed "$SEED" --out "$dir/search" > "$dir/search.out" 2> "$dir/search.err"
  t1=$(date +%s)
  ./nas derive --genotype "$dir/search/genotype.json" --channels "$NET_C" --repeat 1 --stem-channels 16 \
    --input "3x${FRAMES}x${SIZE}x${SIZE}" --classes "$CLASSES" --out "$dir/net" > "$dir/derive.out"
  ./nas train --net "$dir/net" "${data[@]}" --train-samples "$TRAIN_SAMPLES" --test-samples "$TEST_SAMPLES" \
    --epochs "$TRAIN_EPOCHS" --batch 32 --cutout 0 --seed "$SEED" --out "$dir/trained" > "$dir/train.out" 2> "$dir/train.err"
  t2=$(date +%s)
  local macro params macs top1 genotype
  macro=$(sed -n 's/^derived [^:]*: \([a-z0-9-]*\) macro.*/\1/p' "$dir/derive.out")
  params=$(sed -n 's/^params \([^,]*\), MACs \([^ ]*\).*/\1/p' "$dir/derive.out")
  macs=$(sed -n 's/^params [^,]*, MACs \([^ ]*\).*/\1/p' "$dir/derive.out")
  top1=$(sed -n 's/^test top-1 \([0-9.]*%\).*/\1/p' "$dir/train.out")
  genotype=$(head -1 "$dir/search.out")
  echo "| $algo | $space | $macro | $((t1 - t0)) | $((t2 - t1)) | $params | $macs | $top1 | \`$genotype\` |" >> "$summary"
  echo "$tag: top-1 $top1 (search $((t1 - t0)) s, train $((t2 - t1)) s)"
}
for space in o2d-video o3d oadv; do run sdas-c "$space"; done
for space in pvnas-s pvnas; do run pvnas "$space"; done
echo "summary: $summary"
