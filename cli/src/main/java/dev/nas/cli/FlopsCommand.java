package dev.nas.cli;

import dev.nas.cost.CostReport;
import dev.nas.io.Json;
import java.io.PrintStream;
import org.apache.commons.cli.Options;

/** {@code nas flops}: parameters and multiply-adds, per layer. */
final class FlopsCommand extends Command {
  String name() {
    return "flops";
  }

  String summary() {
    return "count parameters and multiply-adds (MACs) of a network folder or any ONNX file";
  }

  String examples() {
    return "nas flops --net nets/dartsv2\nnas flops --model fm.onnx --per-layer\n"
        + "nas flops --net nets/mobile --input 1x3x224x224 --json";
  }

  Options options() {
    Options o = common(new Options());
    ModelSource.addOptions(o);
    o.addOption(opt("input", "SHAPE", "count at this input size, e.g. 1x3x224x224 (default: the model's)"));
    o.addOption(flag("per-layer", "list every layer"));
    o.addOption(flag("json", "print JSON (always per layer)"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    try (ModelSource src = ModelSource.of(a)) {
      CostReport r = src.cost(a.shape("input"));
      out.print(a.has("json") ? Json.write(r.toJson(true)) : r.toText(a.has("per-layer")));
    }
    return 0;
  }
}
