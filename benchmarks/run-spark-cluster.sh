#!/usr/bin/env bash
# nas compare on Apache Spark, on one machine: the same 6-run comparison (random and darts over 2
# seeds, plus the ResNet baseline) with the local executor (--threads 1), embedded Spark local[2],
# and a standalone cluster (a Master and 2 Workers of 1 core each, as separate JVMs on 127.0.0.1);
# then the cluster again with one Worker killed mid-run. Checks that every run is present once and
# that the result rows (timing columns aside) are identical across all four; times each, and Spark's
# fixed cost (a rerun with every run finished: context start and stop, nothing to do).
# Usage: benchmarks/run-spark-cluster.sh [out] (builds cli and cluster first unless SKIP_BUILD=1).
# Sizes can be changed through the environment (defaults: about 8 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="$(realpath -m "${1:-runs/spark-cluster}")"
TRAIN_SAMPLES="${TRAIN_SAMPLES:-256}" TEST_SAMPLES="${TEST_SAMPLES:-128}" TRAIN_EPOCHS="${TRAIN_EPOCHS:-2}"
SEARCH_EPOCHS="${SEARCH_EPOCHS:-1}" INPUT="${INPUT:-3x16x16}" MAX_MACS="${MAX_MACS:-2M}"
MASTER_PORT="${MASTER_PORT:-17077}" MASTER_UI_PORT="${MASTER_UI_PORT:-18080}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -DskipTests -pl cluster -am package
fi
rm -rf "$out"; mkdir -p "$out/logs"
summary="$out/summary.md"
settings=(--dataset synthetic --input "$INPUT" --classes 4 --train-samples "$TRAIN_SAMPLES"
  --test-samples "$TEST_SAMPLES" --methods random,darts --baselines resnet --seeds 2 --max-macs "$MAX_MACS"
  --search-epochs "$SEARCH_EPOCHS" --search-layers 3 --search-channels 4 --search-batch 16 --layers 5
  --resnet-blocks 1 --train-epochs "$TRAIN_EPOCHS" --train-batch 32 --cutout 4 --bench-warmup 2
  --bench-iterations 10)
master="spark://127.0.0.1:$MASTER_PORT"
export SPARK_LOCAL_IP=127.0.0.1   # Master, Worker and executor UIs and RPC on loopback only
# the daemons log at info (slf4j-simple's default here is warn): the script waits for their start lines
export SPARK_DAEMON_JAVA_OPTS="-Xmx1g -Dorg.slf4j.simpleLogger.log.org.apache.spark.deploy=info"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# wall seconds of one nas-cluster compare into $out/$2, logged as logs/$1.* (extra options after the name)
timed() {
  local log="$1" name="$2"; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  ./nas-cluster compare "${settings[@]}" --out "$out/$name" "$@" > "$out/logs/$log.out" 2> "$out/logs/$log.err"
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1 - $t0:.1f}')"
}

start_master() {
  cluster/spark-class org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" \
    --webui-port "$MASTER_UI_PORT" > "$out/logs/master.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 60); do
    grep -q "I have been elected leader" "$out/logs/master.log" 2>/dev/null && return 0
    sleep 1
  done
  echo "the Master did not start; see $out/logs/master.log" >&2; exit 1
}
# starts Worker $1 (1 core); sets worker_pid
start_worker() {
  cluster/spark-class org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 --cores 1 \
    --memory 3g --work-dir "$out/work-$1" "$master" > "$out/logs/worker-$1.log" 2>&1 &
  worker_pid=$!
  pids+=("$worker_pid")
  for _ in $(seq 60); do
    grep -q "Successfully registered with master" "$out/logs/worker-$1.log" 2>/dev/null && return 0
    sleep 1
  done
  echo "Worker $1 did not register; see $out/logs/worker-$1.log" >&2; exit 1
}
finished_runs() { find "$1" -maxdepth 2 -name result.json 2>/dev/null | grep -v '\.partial' | wc -l; }

cluster_conf=(--spark-conf spark.executor.memory=2g --spark-conf spark.executor.cores=1)
t_local=$(timed local local --threads 1)
t_local_rerun=$(timed local-rerun local --threads 1)
t_embedded=$(timed embedded embedded --executor spark --spark-master 'local[2]')
t_embedded_rerun=$(timed embedded-rerun embedded --executor spark --spark-master 'local[2]')
start_master
start_worker 1
start_worker 2
worker2=$worker_pid
t_cluster=$(timed cluster cluster --executor spark --spark-master "$master" "${cluster_conf[@]}")
t_cluster_rerun=$(timed cluster-rerun cluster --executor spark --spark-master "$master" "${cluster_conf[@]}")

# the same comparison again; Worker 2 is killed (SIGKILL) once the first run is published
t0=$(date +%s.%N)
./nas-cluster compare "${settings[@]}" --out "$out/killed" --executor spark --spark-master "$master" \
  "${cluster_conf[@]}" > "$out/logs/killed.out" 2> "$out/logs/killed.err" &
driver=$!
pids+=("$driver")
until [[ $(finished_runs "$out/killed") -ge 1 ]] || ! kill -0 "$driver" 2>/dev/null; do sleep 1; done
running_at_kill=$(find "$out/killed" -maxdepth 1 -name '*.partial*' | sed 's|.*/||' | tr '\n' ' ')
kill -9 "$worker2"
killed_at=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')")
wait "$driver"
t1=$(date +%s.%N)
t_killed=$(python3 -c "print(f'{$t1 - $t0:.1f}')")

# every run once, no work folder left, rows identical (timing columns aside)
verdict=$(python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def rows(name):
    r = json.load(open(os.path.join(out, name, "results.json")))
    runs = [{k: v for k, v in x.items() if k not in ("latencyMs", "searchSeconds", "trainSeconds")} for x in r["runs"]]
    return runs, r["settings"]
ref = rows("local")
lines = []
for name in ("embedded", "cluster", "killed"):
    d = os.path.join(out, name)
    entries = sorted(os.listdir(d))
    runs = [e for e in entries if os.path.isdir(os.path.join(d, e))]
    same = rows(name) == ref
    lines.append(f"- {name}: {len(runs)} run folders ({', '.join(runs)}), work folders left: "
                 f"{sum('.partial' in e for e in entries)}, rows identical to the local executor's: {same}")
    if not same or len(runs) != 6:
        lines.append("  MISMATCH")
print("\n".join(lines))
PY
)
failed_attempts=$(grep -c "failed (" "$out/logs/killed.err" || true)
lost=$(grep -o "failed (ExecutorLostFailure[^;]*" "$out/logs/killed.err" | head -1 || true)
orphans=$(pgrep -f "dev.nas.cluster.ForkedRun .*$out/" | wc -l || true)
{
  echo "# nas compare on Spark: local executor vs local[2] vs a 2-worker standalone cluster"
  echo
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(java -version 2>&1 | head -1)"
  echo
  echo "6 runs: random, darts (1 search epoch, supernet C=4, 3 cells) and the ResNet baseline over 2 seeds;"
  echo "synthetic $INPUT, 4 classes, $TRAIN_SAMPLES train / $TEST_SAMPLES test samples, $TRAIN_EPOCHS training epochs,"
  echo "budget $MAX_MACS MACs, every run 1 thread (local: --threads 1; Spark: spark.task.cpus=1)."
  echo
  echo "| executor | wall s (6 runs) | time vs local | rerun with all runs finished, s |"
  echo "|---|---:|---:|---:|"
  for row in "local --threads 1|$t_local|$t_local_rerun" "spark local[2]|$t_embedded|$t_embedded_rerun" \
      "spark standalone, 2 workers x 1 core|$t_cluster|$t_cluster_rerun" \
      "the same, worker 2 killed at ${killed_at} s|$t_killed|—"; do
    IFS='|' read -r what t r <<< "$row"
    ratio=$(python3 -c "print(f'{$t / $t_local:.2f}x')")
    echo "| $what | $t | $ratio | $r |"
  done
  echo
  echo "Spark's fixed cost (rerun minus the local rerun): local[2] $(python3 -c "print(f'{$t_embedded_rerun - $t_local_rerun:.1f}')") s, standalone cluster $(python3 -c "print(f'{$t_cluster_rerun - $t_local_rerun:.1f}')") s."
  echo
  echo "Worker kill: runs in flight when worker 2 was killed: $running_at_kill; failed attempts seen by the"
  echo "driver: $failed_attempts (${lost:-none}); ForkedRun JVMs left running afterwards: $orphans."
  echo
  echo "$verdict"
} > "$summary"
cat "$summary"
grep -q MISMATCH "$summary" && exit 1
exit 0
