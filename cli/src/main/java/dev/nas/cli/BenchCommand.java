package dev.nas.cli;

import dev.nas.core.bench.BenchReport;
import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.djl.Devices;
import dev.nas.djl.DjlBenchmark;
import dev.nas.runtime.bench.ExecutionProvider;
import dev.nas.runtime.bench.OrtBenchmark;
import dev.nas.runtime.gpu.Gpu;
import dev.nas.runtime.trt.PlanInfo;
import dev.nas.runtime.trt.TrtBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.Options;

/** {@code nas bench}: latency on ONNX Runtime (CPU, CUDA, TensorRT providers), TensorRT and DJL eager, side by side. */
final class BenchCommand extends Command {
  static final List<String> RUNTIMES = List.of("ort", "djl", "ort-cuda", "ort-trt", "tensorrt");

  String name() {
    return "bench";
  }

  String summary() {
    return "measure latency (p50/p90/p99/mean, throughput) on ONNX Runtime, TensorRT and DJL at several batch sizes";
  }

  String examples() {
    return "nas bench --net nets/dartsv2 --runtime ort,djl --batch 1,32 --threads 2\n"
        + "nas bench --model fm.onnx --batch 1,8,32 --duration 10 --json\n"
        + "nas bench --model fm.onnx --plan fm.plan --runtime tensorrt,ort-cuda --batch 1,8,32 --threads 1";
  }

  Options options() {
    Options o = common(new Options());
    ModelSource.addOptions(o);
    o.addOption(opt("plan", "FILE", "TensorRT engine for --runtime tensorrt (from nas export --format tensorrt)"));
    o.addOption(opt("runtime", "R", "comma-separated: ort, djl, ort-cuda, ort-trt, tensorrt (default: ort,djl for "
        + "--net, ort for --model, tensorrt for --plan alone)"));
    o.addOption(opt("batch", "B", "comma-separated batch sizes (default 1,8,32)"));
    o.addOption(opt("warmup", "N", "untimed warm-up iterations (default 10)"));
    o.addOption(opt("iterations", "N", "timed iterations per batch size (default 50)"));
    o.addOption(opt("duration", "S", "time each batch size for S seconds instead of a fixed count"));
    o.addOption(opt("device", "D", "device of the DJL side: cpu (default) or gpu"));
    o.addOption(opt("report", "FILE", "also write the JSON report to FILE"));
    o.addOption(flag("json", "print JSON instead of the table"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    boolean hasModel = a.has("net") || a.has("model");
    String defaults = a.has("net") ? "ort,djl" : a.has("model") ? "ort" : a.has("plan") ? "tensorrt" : "ort";
    List<String> runtimes = a.words("runtime", defaults);
    for (String rt : runtimes) {
      if (!RUNTIMES.contains(rt)) {
        throw new UsageException("unknown --runtime '" + rt + "' (this build has: " + String.join(", ", RUNTIMES) + ")");
      }
    }
    boolean tensorRt = runtimes.contains("tensorrt");
    if (tensorRt && !a.has("plan")) {
      throw new UsageException("--runtime tensorrt needs --plan FILE (a TensorRT engine from nas export --format "
          + "tensorrt)");
    }
    if (a.has("plan") && !tensorRt) {
      throw new UsageException("--plan is only used by --runtime tensorrt");
    }
    List<String> onModel = runtimes.stream().filter(rt -> !rt.equals("tensorrt")).toList();
    if (!onModel.isEmpty() && !hasModel) {
      throw new UsageException("--runtime " + String.join(",", onModel) + " needs --net NET or --model FILE.onnx");
    }
    if (onModel.isEmpty() && hasModel) {
      throw new UsageException("--runtime tensorrt runs --plan only; drop --net/--model or add an ONNX Runtime "
          + "runtime to compare with");
    }
    List<Integer> batches = a.integers("batch", "1,8,32");
    int warmup = a.integer("warmup", 10);
    Bencher bencher = a.has("duration")
        ? Bencher.duration(warmup, Duration.ofMillis((long) (1000 * a.number("duration", 10))))
        : Bencher.iterations(warmup, a.integer("iterations", 50));
    Path plan = a.has("plan") ? Path.of(a.str("plan", null)) : null;

    // Everything that can fail without measuring fails before the first measurement.
    if (tensorRt) {
      PlanInfo info = PlanInfo.read(plan);
      batches.forEach(info::checkBatch);
      Gpu.requireTensorRt();
    }
    for (String rt : onModel) {
      ExecutionProvider.ofRuntime(rt).ifPresent(ExecutionProvider::requireInBuild);
    }

    try (ModelSource src = hasModel ? ModelSource.of(a) : null) {
      List<BenchResult> results = new ArrayList<>();
      for (String rt : runtimes) {
        switch (rt) {
          case "ort", "ort-cuda", "ort-trt" -> results.addAll(new OrtBenchmark(Nas.threads(), bencher, 0,
              ExecutionProvider.ofRuntime(rt).orElseThrow()).run(src.onnx(), batches));
          case "djl" -> results.addAll(new DjlBenchmark(bencher, Devices.parse(a.str("device", "cpu")), 0)
              .run(src.network(), batches));
          case "tensorrt" -> results.addAll(new TrtBenchmark(bencher, 0).run(plan, batches));
          default -> throw new IllegalStateException("runtime " + rt + " was accepted but has no benchmark");
        }
      }
      BenchReport report = BenchReport.of(results);
      if (a.has("report")) {
        report.writeJson(Path.of(a.str("report", null)));
      }
      if (a.has("json")) {
        out.print(report.toJson());
      } else {
        out.printf("%s%n%s", src != null ? src.name() : plan, report.toText());
        if (runtimes.contains("ort") && runtimes.contains("djl")) {
          out.print(report.compareText("ort", "djl"));
        }
        for (String gpu : List.of("ort-cuda", "ort-trt")) {
          if (tensorRt && runtimes.contains(gpu)) {
            out.print(report.compareText("tensorrt", gpu));
          }
        }
      }
    }
    return 0;
  }
}
