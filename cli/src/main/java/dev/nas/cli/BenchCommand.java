package dev.nas.cli;

import dev.nas.bench.BenchReport;
import dev.nas.bench.BenchResult;
import dev.nas.bench.Bencher;
import dev.nas.derive.DjlBenchmark;
import dev.nas.djl.Devices;
import dev.nas.runtime.bench.OrtBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.Options;

/** {@code nas bench}: latency on ONNX Runtime and DJL eager, side by side. */
final class BenchCommand extends Command {
  String name() {
    return "bench";
  }

  String summary() {
    return "measure latency (p50/p90/p99/mean, throughput) on ONNX Runtime and DJL at several batch sizes";
  }

  String examples() {
    return "nas bench --net nets/dartsv2 --runtime ort,djl --batch 1,32 --threads 2\n"
        + "nas bench --model fm.onnx --batch 1,8,32 --duration 10 --json";
  }

  Options options() {
    Options o = common(new Options());
    ModelSource.addOptions(o);
    o.addOption(opt("runtime", "R", "comma-separated: ort, djl (default: ort,djl for --net, ort for --model)"));
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
    try (ModelSource src = ModelSource.of(a)) {
      List<String> runtimes = a.words("runtime", src.isNetwork() ? "ort,djl" : "ort");
      List<Integer> batches = a.integers("batch", "1,8,32");
      int warmup = a.integer("warmup", 10);
      Bencher bencher = a.has("duration")
          ? Bencher.duration(warmup, Duration.ofMillis((long) (1000 * a.number("duration", 10))))
          : Bencher.iterations(warmup, a.integer("iterations", 50));
      List<BenchResult> results = new ArrayList<>();
      for (String rt : runtimes) {
        switch (rt) {
          case "ort" -> results.addAll(new OrtBenchmark(Nas.threads(), bencher, 0).run(src.onnx(), batches));
          case "djl" -> results.addAll(new DjlBenchmark(bencher, Devices.parse(a.str("device", "cpu")), 0)
              .run(src.network(), batches));
          default -> throw new UsageException("unknown --runtime '" + rt + "' (this build has: ort, djl)");
        }
      }
      BenchReport report = BenchReport.of(results);
      if (a.has("report")) {
        report.writeJson(Path.of(a.str("report", null)));
      }
      if (a.has("json")) {
        out.print(report.toJson());
      } else {
        out.printf("%s%n%s", src.name(), report.toText());
        if (runtimes.contains("ort") && runtimes.contains("djl")) {
          out.print(report.compareText("ort", "djl"));
        }
      }
    }
    return 0;
  }
}
