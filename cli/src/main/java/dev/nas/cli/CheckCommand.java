package dev.nas.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.bench.BenchResult;
import dev.nas.core.bench.Bencher;
import dev.nas.core.bench.LatencyStats;
import dev.nas.core.budget.Verdict;
import dev.nas.core.cost.ClipCost;
import dev.nas.core.cost.CostReport;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.io.Json;
import dev.nas.runtime.bench.OrtBenchmark;
import dev.nas.runtime.check.Budgets;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.apache.commons.cli.Options;

/** {@code nas check}: a verdict per budget, non-zero exit when any is exceeded. */
final class CheckCommand extends Command {
  /** Exit status when a budget is exceeded. */
  static final int OVER_BUDGET = 3;

  String name() {
    return "check";
  }

  String summary() {
    return "check MACs / parameter / latency budgets (exit status 3 when any is exceeded)";
  }

  String examples() {
    return "nas check --net nets/mobile --max-macs 600M --max-params 6M --max-latency-ms 20 --input 1x3x224x224\n"
        + "nas check --model fm.onnx --max-macs 50M --json";
  }

  Options options() {
    Options o = common(new Options());
    ModelSource.addOptions(o);
    o.addOption(opt("max-macs", "N", "multiply-add budget per forward pass (per image; per clip for clip models), "
        + "e.g. 600M"));
    o.addOption(opt("max-video-macs", "N", "clip models: multiply-add budget per video = MACs per clip x --clips"));
    o.addOption(opt("clips", "N", "clip models: clips per video (the test views averaged) for --max-video-macs "
        + "(default 1)"));
    o.addOption(opt("max-params", "N", "parameter budget, e.g. 6M"));
    o.addOption(opt("max-latency-ms", "MS", "latency budget in ms (ONNX Runtime, CPU, this machine)"));
    o.addOption(opt("latency-stat", "S", "which latency meets the budget: p50 (default), p90, p99 or mean"));
    o.addOption(opt("batch", "B", "batch size of the latency measurement (default 1)"));
    o.addOption(opt("iterations", "N", "timed iterations of the latency measurement (default 50)"));
    o.addOption(opt("input", "SHAPE", "input size to count and measure at, read at the model's rank: CxHxW or "
        + "1xCxHxW for images, CxTxHxW or 1xCxTxHxW for clips, e.g. 1x3x224x224"));
    o.addOption(flag("json", "print JSON"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    if (a.has("clips") && !a.has("max-video-macs")) {
      throw new UsageException("--clips sets the clips per video of --max-video-macs; give that budget too");
    }
    int clips = a.integer("clips", 1);
    if (clips < 1) {
      throw new UsageException("--clips must be a positive number of clips per video");
    }
    Budgets budgets = new Budgets(a.count("max-macs"), a.count("max-params"), a.optionalNumber("max-latency-ms"),
        a.count("max-video-macs"), clips);
    if (budgets.isEmpty()) {
      throw new UsageException("give at least one of --max-macs, --max-params, --max-latency-ms, --max-video-macs");
    }
    String stat = a.str("latency-stat", "p50");
    if (!List.of("p50", "p90", "p99", "mean").contains(stat)) {
      throw new UsageException("--latency-stat must be p50, p90, p99 or mean");
    }
    try (ModelSource src = ModelSource.of(a)) {
      FeatureShape input = src.input(a);
      CostReport cost = src.cost(input);
      if (budgets.maxVideoMacs().isPresent() && !ClipCost.isClip(cost)) {
        throw new UsageException("--max-video-macs applies to clip models; " + src.name() + " takes images ("
            + cost.input() + "); use --max-macs");
      }
      OptionalDouble latency = OptionalDouble.empty();
      if (budgets.needsLatency()) {
        if (input != null && src.isNetwork() && !input.equals(src.network().spec().macro().input())) {
          throw new UsageException("a latency budget is measured at the network's own input "
              + src.network().spec().macro().input() + "; derive the network at " + input + " first");
        }
        OrtBenchmark bench = new OrtBenchmark(Nas.threads(), Bencher.iterations(5, a.integer("iterations", 50)), 0);
        BenchResult r = bench.run(src.onnx(), input, List.of(a.integer("batch", 1))).get(0);
        latency = OptionalDouble.of(pick(r.latency(), stat));
      }
      List<Verdict> verdicts = budgets.evaluate(cost, latency);
      boolean ok = verdicts.stream().allMatch(Verdict::passed);
      if (a.has("json")) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", src.name());
        root.put("input", cost.input());
        root.put("passed", ok);
        root.put("latencyStat", stat);
        root.put("convention", CostReport.CONVENTION);
        if (ClipCost.isClip(cost)) {
          ClipCost.of(cost, clips).addTo(root);
        }
        ArrayNode arr = root.putArray("verdicts");
        for (Verdict v : verdicts) {
          arr.addObject().put("budget", v.budget()).put("limit", v.limit()).put("actual", v.actual())
              .put("unit", v.unit()).put("passed", v.passed());
        }
        out.print(Json.write(root));
      } else {
        out.printf("%s (input 1x%s)%n", src.name(), cost.input());
        verdicts.forEach(v -> out.println("  " + v.describe()));
        if (latency.isPresent()) {
          out.printf(Locale.ROOT, "  latency is the %s of ONNX Runtime (CPU, %d threads) at batch %d on this machine%n",
              stat, Nas.threads(), a.integer("batch", 1));
        }
        out.println(ok ? "all budgets met" : "BUDGET EXCEEDED");
      }
      return ok ? 0 : OVER_BUDGET;
    }
  }

  static double pick(LatencyStats s, String stat) {
    return switch (stat) {
      case "p90" -> s.p90Ms();
      case "p99" -> s.p99Ms();
      case "mean" -> s.meanMs();
      default -> s.p50Ms();
    };
  }
}
