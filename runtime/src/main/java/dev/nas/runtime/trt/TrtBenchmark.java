package dev.nas.runtime.trt;

import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.LatencyStats;
import dev.nas.core.bench.Measurement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures a TensorRT plan at several batch sizes with the shared {@link Bencher} loop, reporting
 * what trtexec reports: the end-to-end latency of an iteration (host-to-device copy of the input
 * from pinned memory, {@code enqueueV3}, device-to-host copies of the outputs, stream
 * synchronisation; wall clock, like every other runtime's latency) and, as
 * {@linkplain BenchResult#stages() stages}, the time of each part on the GPU by CUDA events:
 * {@code h2d}, {@code gpuCompute}, {@code d2h}.
 */
public final class TrtBenchmark {
  /** The runtime name under which results are reported. */
  public static final String RUNTIME = "tensorrt";
  /** Stage names, in the order they run within an iteration. */
  public static final List<String> STAGES = List.of("h2d", "gpuCompute", "d2h");

  private final Bencher bencher;
  private final long seed;

  /**
   * @param bencher warm-up and iteration (or duration) plan, applied at each batch size
   * @param seed seed of the random input
   */
  public TrtBenchmark(Bencher bencher, long seed) {
    this.bencher = bencher;
    this.seed = seed;
  }

  /**
   * Benchmarks {@code plan} at each of {@code batchSizes}, in order. Batch sizes are checked
   * against the plan's profile before the GPU is touched.
   *
   * @throws IllegalArgumentException if a batch size is outside the plan's profile
   * @see TrtEngine#open for the other failures
   */
  public List<BenchResult> run(Path plan, List<Integer> batchSizes) throws IOException {
    if (batchSizes.isEmpty()) {
      throw new IllegalArgumentException("no batch sizes to benchmark");
    }
    PlanInfo info = PlanInfo.read(plan);
    for (int batch : batchSizes) {
      info.checkBatch(batch);
    }
    try (TrtEngine engine = TrtEngine.open(plan)) {
      List<long[]> shapes = new ArrayList<>();
      for (int batch : batchSizes) {
        shapes.add(engine.inputShapeFor(batch));
      }
      List<BenchResult> results = new ArrayList<>();
      for (int i = 0; i < batchSizes.size(); i++) {
        results.add(measure(engine, batchSizes.get(i), shapes.get(i)));
      }
      return results;
    }
  }

  private BenchResult measure(TrtEngine engine, int batch, long[] shape) {
    engine.setShape(shape);
    engine.fillInput(randomInput(shape));
    StageLog log = new StageLog(bencher.warmup() + bencher.iterations().orElse(1024));
    float[] stage = new float[STAGES.size()];
    Measurement m = bencher.measure(() -> {
      engine.runPinned(stage);
      log.add(stage);
    });
    Map<String, LatencyStats> stages = new LinkedHashMap<>();
    for (int s = 0; s < STAGES.size(); s++) {
      // The log holds the warm-up iterations first; the timed ones are the last.
      stages.put(STAGES.get(s), LatencyStats.fromNanos(log.last(s, m.iterations())));
    }
    return BenchResult.of(RUNTIME, batch, 1, m, extra(engine, shape)).withStages(stages);
  }

  private float[] randomInput(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    float[] values = new float[Math.toIntExact(n)];
    Random random = new Random(seed);
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() * 2f - 1f;
    }
    return values;
  }

  private Map<String, String> extra(TrtEngine engine, long[] shape) {
    PlanInfo info = engine.info();
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("plan", engine.plan().toString());
    extra.put("input", Arrays.toString(shape));
    extra.put("tensorrt", info.tensorRtVersion());
    extra.put("precision", info.precision());
    extra.put("gpu", info.gpu() + " (compute capability " + info.computeCapability() + ")");
    extra.put("profile", info.profile().minBatch() + "/" + info.profile().optBatch() + "/" + info.profile().maxBatch());
    extra.put("latency", "end-to-end: pinned host-to-device copy, enqueueV3, device-to-host copy, stream synchronize");
    extra.put("stages", "CUDA events on the stream around each part of the end-to-end iteration");
    extra.put("threads", "one host thread drives the CUDA stream");
    extra.put("seed", Long.toString(seed));
    return extra;
  }

  /** Per-iteration stage times in nanoseconds; grows between iterations when a duration runs long. */
  private static final class StageLog {
    private long[][] nanos;
    private int size;

    StageLog(int capacity) {
      nanos = new long[STAGES.size()][Math.max(16, capacity)];
    }

    void add(float[] ms) {
      if (size == nanos[0].length) {
        for (int s = 0; s < nanos.length; s++) {
          // At most warm-up + Bencher.MAX_ITERATIONS entries are ever added, so doubling stays bounded.
          nanos[s] = Arrays.copyOf(nanos[s], size * 2);
        }
      }
      for (int s = 0; s < nanos.length; s++) {
        nanos[s][size] = Math.round(ms[s] * 1e6);
      }
      size++;
    }

    long[] last(int stage, int count) {
      return Arrays.copyOfRange(nanos[stage], size - count, size);
    }
  }
}
