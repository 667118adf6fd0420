#!/usr/bin/env bash
# What each change to the search step bought: OLD build at 2 threads (as shipped), OLD at 1 thread
# (the thread change alone), this build at 1 thread (plus channels-last activations),
# alternating in rounds, at the DARTS search config and the default pipeline's supernet.
# Usage: benchmarks/run-step-changes.sh OLD_TREE [ROUNDS]   (build both trees first)
set -euo pipefail
cd "$(dirname "$0")/.."
old="$(cd "$1" && pwd)"; new="$(pwd)"; rounds="${2:-2}"
step() { # tree threads C L batch input warmup steps
  local tree="$1" t="$2"; shift 2
  OMP_WAIT_POLICY=PASSIVE TORCH_CPP_LOG_LEVEL=ERROR java -Xmx3g -Dai.djl.offline=true \
    -cp "$tree/benchmarks/target/classes:$tree/benchmarks/target/lib/*" dev.nas.benchmarks.scenarios.SearchStepScenario \
    darts "$@" 0 "$t" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.3f" % d["secondsPerStepMean"])'
}
printf 'round\tconfig\tvariant\ts_per_step\n'
for r in $(seq 1 "$rounds"); do
  for cfg in "16 8 32 3x32x32 1 2" "4 5 32 3x16x16 2 5"; do
    name=$( [ "${cfg%% *}" = 16 ] && echo darts-search || echo pipeline-supernet )
    printf '%s\t%s\told-2-threads\t%s\n' "$r" "$name" "$(step "$old" 2 $cfg)"
    printf '%s\t%s\told-1-thread\t%s\n' "$r" "$name" "$(step "$old" 1 $cfg)"
    printf '%s\t%s\tnew-1-thread\t%s\n' "$r" "$name" "$(step "$new" 1 $cfg)"
  done
done
