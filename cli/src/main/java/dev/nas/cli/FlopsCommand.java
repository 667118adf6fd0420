package dev.nas.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.cost.ClipCost;
import dev.nas.core.cost.CostReport;
import dev.nas.core.io.Json;
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
        + "nas flops --net nets/mobile --input 1x3x224x224 --json\n"
        + "nas flops --net nets/video --input 3x16x112x112 --clips 10";
  }

  Options options() {
    Options o = common(new Options());
    ModelSource.addOptions(o);
    o.addOption(opt("input", "SHAPE", "count at this input size (default: the model's): CxHxW or 1xCxHxW for image "
        + "models, CxTxHxW or 1xCxTxHxW for clip models, e.g. 1x3x224x224 or 1x3x16x112x112"));
    o.addOption(opt("clips", "N", "clip models: clips per video, i.e. the test views whose scores are averaged; MACs "
        + "per video = MACs per clip x N (default 1)"));
    o.addOption(flag("per-layer", "list every layer"));
    o.addOption(flag("json", "print JSON (always per layer)"));
    return o;
  }

  int run(Args a, PrintStream out) throws Exception {
    try (ModelSource src = ModelSource.of(a)) {
      CostReport r = src.cost(src.input(a));
      ClipCost clips = null;
      if (ClipCost.isClip(r)) {
        clips = new ClipCost(r.macs(), a.integer("clips", 1));
      } else if (a.has("clips")) {
        throw new UsageException("--clips applies to clip models; " + src.name() + " takes images (" + r.input() + ")");
      }
      if (a.has("json")) {
        ObjectNode json = r.toJson(true);
        if (clips != null) {
          clips.addTo(json);
        }
        out.print(Json.write(json));
      } else {
        String text = r.toText(a.has("per-layer"));
        if (clips != null) {
          // per clip and per video right after the totals, before the convention and the tables
          int cut = text.indexOf("  convention: ");
          text = text.substring(0, cut) + clips.toText() + text.substring(cut);
        }
        out.print(text);
      }
    }
    return 0;
  }
}
