package dev.nas.benchmarks.scenarios;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.bench.LatencyStats;
import dev.nas.core.bench.MachineInfo;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Json;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.djl.Batch;
import dev.nas.djl.NativeRuntime;
import dev.nas.search.MemoryEstimate;
import dev.nas.search.algo.BilevelOptimizer;
import dev.nas.search.algo.BilevelSettings;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seconds per DARTS search step (architecture step + weight step) for a supernet configuration,
 * the share of the step spent inside libtorch operators (from libtorch's profiler: the union of
 * the intervals of top-level operator events over all threads, divided by the wall time; the
 * rest is Java, JNI and DJL bookkeeping), and the process's peak resident memory next to the
 * estimate that {@code nas search} prints before it starts.
 *
 * <p>Usage: {@code SearchStepScenario algo channels layers batch CxHxW warmup steps profileSteps threads [K]},
 * K the partial channel connections (PC-DARTS; default 1: every channel, DARTS).
 */
public final class SearchStepScenario {
  private SearchStepScenario() {}

  public static void main(String[] args) throws Exception {
    String algo = args[0];
    int channels = Integer.parseInt(args[1]);
    int layers = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    FeatureShape input = FeatureShape.parse(args[4]);
    int warmup = Integer.parseInt(args[5]);
    int steps = Integer.parseInt(args[6]);
    int profileSteps = Integer.parseInt(args[7]);
    int threads = Integer.parseInt(args[8]);
    int k = args.length > 9 ? Integer.parseInt(args[9]) : 1;
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    NativeRuntime.init();
    boolean second = algo.equals("darts2");
    SupernetConfig cfg = new SupernetConfig(SearchSpace.DARTS, channels, layers, 10, input,
        Preprocessing.identity(input.channels())).withPartialChannels(k);
    try (Supernet net = new Supernet(cfg, new SoftmaxMixing(SearchSpace.DARTS, k > 1), Device.cpu(), DataType.FLOAT32,
        1);
        NDManager root = NDManager.newBaseManager()) {
      BilevelOptimizer opt = new BilevelOptimizer(net, BilevelSettings.darts(second));
      SplittableRandom rnd = new SplittableRandom(3);
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < warmup + steps; i++) {
        long t = step(opt, root, batch, input, rnd);
        if (i >= warmup) {
          times.add(t);
        }
      }
      Path trace = Files.createTempFile("nas-profile", ".json");
      JniUtils.startProfile(false, false, false);
      long profiledWall = 0;
      for (int i = 0; i < profileSteps; i++) {
        profiledWall += step(opt, root, batch, input, rnd);
      }
      JniUtils.stopProfile(trace.toString());
      double nativeSeconds = nativeBusySeconds(Json.MAPPER.readTree(trace.toFile()));
      String keep = System.getenv("NAS_PROFILE_TRACE");
      if (keep != null) {
        Files.move(trace, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.deleteIfExists(trace);
      }
      LatencyStats s = LatencyStats.fromNanos(times);
      MemoryEstimate est = MemoryEstimate.forSearch(net.fragments(), net.plumbingValuesPerSample(), net.weightCount(),
          batch, 4, second);
      long peak = MemoryEstimate.peakResident().orElse(-1);
      ObjectNode out = Json.MAPPER.createObjectNode();
      out.put("algo", algo);
      out.put("channels", channels);
      out.put("layers", layers);
      out.put("batch", batch);
      out.put("input", input.toString());
      out.put("threads", threads);
      out.put("partialChannels", k);
      out.put("steps", steps);
      out.put("secondsPerStepMean", s.meanMs() / 1000);
      out.put("secondsPerStepP50", s.p50Ms() / 1000);
      out.put("secondsPerStepStd", s.stddevMs() / 1000);
      out.put("nativeShare", nativeSeconds / (profiledWall / 1e9));
      out.put("profiledSteps", profileSteps);
      out.put("peakResidentBytes", peak);
      out.put("estimatedPeakBytes", est.total());
      out.put("machine", MachineInfo.current().describe());
      System.out.print(Json.write(out));
      System.err.printf(Locale.ROOT, "%s K=%d C=%d L=%d batch %d %s: %.2f s/step (p50 %.2f, sd %.2f, %d steps), %.0f%% in"
          + " libtorch operators, peak RSS %s (estimate %s)%n", algo, k, channels, layers, batch, input, s.meanMs() / 1000,
          s.p50Ms() / 1000, s.stddevMs() / 1000, steps, 100 * nativeSeconds / (profiledWall / 1e9),
          MemoryEstimate.gib(peak), MemoryEstimate.gib(est.total()));
    }
  }

  private static long step(BilevelOptimizer opt, NDManager root, int batch, FeatureShape input, SplittableRandom rnd) {
    try (NDManager scope = root.newSubManager()) {
      Batch train = batch(scope, batch, input, rnd);
      Batch val = batch(scope, batch, input, rnd);
      long t0 = System.nanoTime();
      opt.step(train, val, 0.025);
      return System.nanoTime() - t0;
    }
  }

  private static Batch batch(NDManager m, int n, FeatureShape shape, SplittableRandom rnd) {
    float[] x = new float[(int) (n * shape.numel())];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble();
    }
    int[] labels = new int[n];
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rnd.nextInt(10);
      l[i] = labels[i];
    }
    return new Batch(m.create(x, new Shape(shape.withBatch(n))), m.create(l), labels);
  }

  /** Wall time covered by at least one top-level operator event of the Chrome trace. */
  static double nativeBusySeconds(JsonNode trace) {
    JsonNode events = trace.isArray() ? trace : trace.path("traceEvents");
    List<long[]> intervals = new ArrayList<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
        long ts = (long) (e.path("ts").asDouble() * 1000);
        long dur = (long) (e.path("dur").asDouble() * 1000);
        intervals.add(new long[] {ts, ts + dur});
      }
    }
    intervals.sort((a, b) -> Long.compare(a[0], b[0]));
    long busy = 0;
    long start = Long.MIN_VALUE;
    long end = Long.MIN_VALUE;
    for (long[] iv : intervals) {
      if (iv[0] > end) {
        busy += end - start;
        start = iv[0];
        end = iv[1];
      } else {
        end = Math.max(end, iv[1]);
      }
    }
    busy += end - start;
    return busy / 1e9;
  }
}
