package dev.nas.runtime.check;

import dev.nas.budget.Verdict;
import dev.nas.cost.CostReport;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Deployment budgets: multiply-adds and parameters (counted with {@link CostReport}'s convention)
 * and latency (p50 of ONNX Runtime on this machine). Absent budgets are not checked.
 */
public record Budgets(OptionalLong maxMacs, OptionalLong maxParams, OptionalDouble maxLatencyMs) {
  public boolean isEmpty() {
    return maxMacs.isEmpty() && maxParams.isEmpty() && maxLatencyMs.isEmpty();
  }

  public boolean needsLatency() {
    return maxLatencyMs.isPresent();
  }

  /** One verdict per budget given. */
  public List<Verdict> evaluate(CostReport cost, OptionalDouble latencyMs) {
    List<Verdict> out = new ArrayList<>();
    maxMacs.ifPresent(m -> out.add(new Verdict("MACs", m, cost.macs(), "MACs")));
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
