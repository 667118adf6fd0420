#!/usr/bin/env bash
# Search-step seconds of an OLD build (e.g. a worktree of an earlier main) and this build, side by
# side in one run, in three situations: idle; sharing the cores with a second copy of the same
# process; restricted to one core (taskset -c 0). Both DARTS configurations of BENCHMARKS.md
# ("Threads"): the DARTS search config (C=16, 8 cells, batch 32, 3x32x32) and the default
# pipeline's supernet (C=4, 5 cells, batch 32, 3x16x16). OLD runs as it shipped (OLD_THREADS,
# default 2 = all cores, OMP_WAIT_POLICY=PASSIVE); NEW runs at its default (NEW_THREADS, 1).
# Then retraining time and DJL/ORT batch-1 latency of a derived network with each build's CLI.
# Usage: benchmarks/run-threads.sh OLD_TREE [OUT_DIR]   (build both trees first: mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
old="$(cd "$1" && pwd)"; new="$(pwd)"; out="${2:-runs/threads}"
mkdir -p "$out"
old_threads="${OLD_THREADS:-2}"; new_threads="${NEW_THREADS:-1}"
step() { # tree threads C L batch input warmup steps -> "mean p50"
  local tree="$1" t="$2"; shift 2
  OMP_WAIT_POLICY=PASSIVE TORCH_CPP_LOG_LEVEL=ERROR java -Xmx3g -Dai.djl.offline=true \
    -cp "$tree/benchmarks/target/classes:$tree/benchmarks/target/lib/*" dev.nas.benchmarks.scenarios.SearchStepScenario \
    darts "$@" 0 "$t" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.3f %.3f" % (d["secondsPerStepMean"], d["secondsPerStepP50"]))'
}
report="$out/threads.tsv"
printf 'config\tsituation\tbuild\tthreads\ts_per_step_mean\ts_per_step_p50\n' > "$report"
for cfg in "16 8 32 3x32x32 1 3" "4 5 32 3x16x16 2 5"; do
  name=$( [ "${cfg%% *}" = 16 ] && echo darts-search || echo pipeline-supernet )
  for situation in idle shared one-core; do
    for build in old new; do
      tree=$old; t=$old_threads
      [ $build = new ] && { tree=$new; t=$new_threads; }
      case $situation in
        idle) r=$(step "$tree" "$t" $cfg) ;;
        one-core) r=$(taskset -c 0 bash -c "$(declare -f step); step '$tree' '$t' $cfg") ;;
        shared) # two copies of the same process at once; the first copy's figures are reported, the second's logged
          step "$tree" "$t" $cfg > "$out/second.txt" &
          r=$(step "$tree" "$t" $cfg); wait
          echo "  (second copy: $(cat "$out/second.txt"))" ;;
      esac
      printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$situation" "$build" "$t" "${r// /$'\t'}" | tee -a "$report"
    done
  done
done

# retraining and inference of the pipeline's derived network (C=16, 8 cells, 16x16) with each CLI
for build in old new; do
  tree=$old; t=$old_threads
  [ $build = new ] && { tree=$new; t=$new_threads; }
  rm -rf "$out/net-$build" "$out/trained-$build"
  "$tree/nas" derive --genotype DARTS_V2 --channels 16 --layers 8 --classes 10 --input 3x16x16 --out "$out/net-$build" > /dev/null
  s=$(date +%s.%N)
  "$tree/nas" train --net "$out/net-$build" --input 3x16x16 --train-samples 1280 --test-samples 128 --epochs 2 --batch 64 \
      --threads "$t" --out "$out/trained-$build" > /dev/null 2>&1
  e=$(date +%s.%N)
  printf 'train\t2 epochs x 20 steps, batch 64 (wall, incl. start-up)\t%s\t%s\t%.1f s\n' "$build" "$t" "$(echo "$e - $s" | bc)" | tee -a "$report"
  "$tree/nas" bench --net "$out/trained-$build" --runtime ort,djl --batch 1 --threads "$t" 2>/dev/null | grep -E "^(ort|djl)" \
    | sed "s/^/bench\t$build\t$t\t/" | tee -a "$report"
done
echo "written $report"
