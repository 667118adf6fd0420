package dev.nas.runtime.check;

import dev.nas.core.budget.Verdict;
import dev.nas.core.cost.ClipCost;
import dev.nas.core.cost.CostReport;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Deployment budgets: multiply-adds and parameters (counted with {@link CostReport}'s convention)
 * and latency (p50 of ONNX Runtime on this machine). Absent budgets are not checked.
 *
 * @param maxMacs per forward pass: per image, or for a clip model per clip
 * @param maxVideoMacs clip models: per video, i.e. per clip × {@code clips} (the test views a
 *     video's score averages)
 * @param clips clips per video for {@code maxVideoMacs}
 */
public record Budgets(OptionalLong maxMacs, OptionalLong maxParams, OptionalDouble maxLatencyMs,
    OptionalLong maxVideoMacs, int clips) {
  public Budgets {
    if (clips < 1) {
      throw new IllegalArgumentException("clips per video must be positive, got " + clips);
    }
  }

  /** Budgets without a per-video budget. */
  public Budgets(OptionalLong maxMacs, OptionalLong maxParams, OptionalDouble maxLatencyMs) {
    this(maxMacs, maxParams, maxLatencyMs, OptionalLong.empty(), 1);
  }

  public boolean isEmpty() {
    return maxMacs.isEmpty() && maxParams.isEmpty() && maxLatencyMs.isEmpty() && maxVideoMacs.isEmpty();
  }

  public boolean needsLatency() {
    return maxLatencyMs.isPresent();
  }

  /** One verdict per budget given. */
  public List<Verdict> evaluate(CostReport cost, OptionalDouble latencyMs) {
    List<Verdict> out = new ArrayList<>();
    boolean clip = ClipCost.isClip(cost);
    maxMacs.ifPresent(m -> out.add(new Verdict(clip ? "MACs/clip" : "MACs", m, cost.macs(), "MACs")));
    if (maxVideoMacs.isPresent()) {
      ClipCost c = ClipCost.of(cost, clips); // refuses image models
      out.add(new Verdict("MACs/video", maxVideoMacs.getAsLong(), c.macsPerVideo(), "MACs (" + clips + " clips)"));
    }
    maxParams.ifPresent(p -> out.add(new Verdict("params", p, cost.params(), "params")));
    if (maxLatencyMs.isPresent()) {
      if (latencyMs.isEmpty()) {
        throw new IllegalStateException("a latency budget needs a latency measurement");
      }
      out.add(new Verdict("latency", maxLatencyMs.getAsDouble(), latencyMs.getAsDouble(), "ms"));
    }
    return out;
  }
}
