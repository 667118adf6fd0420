package dev.nas.core.cost;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nas.core.io.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parameters and multiply-adds of a network's inference path, per layer and in total.
 *
 * @param source what was counted (a network folder or an ONNX file)
 * @param input the per-sample input shape counted at
 */
public record CostReport(String source, String input, List<LayerCost> layers) {
  /** The counting convention, printed with every report. */
  public static final String CONVENTION = "MACs = multiply-accumulates of convolution and fully-connected layers "
      + "per sample (batch 1); bias, batch norm, activations (ReLU, sigmoid: one op per element), pooling, additions "
      + "and channel-wise scale/bias (one op per element of the feature map) are not MACs and are shown "
      + "separately as other ops; FLOPs = 2 x MACs. Parameters = learned tensors (conv/linear weights and biases, "
      + "BN scale and shift; not BN running statistics). The auxiliary head and drop-path are excluded.";

  public CostReport {
    layers = List.copyOf(layers);
  }

  public long params() {
    return layers.stream().mapToLong(LayerCost::params).sum();
  }

  public long macs() {
    return layers.stream().mapToLong(LayerCost::macs).sum();
  }

  public long otherOps() {
    return layers.stream().mapToLong(LayerCost::otherOps).sum();
  }

  /** Totals per layer kind, kinds in name order. */
  public Map<String, long[]> byKind() {
    Map<String, long[]> out = new TreeMap<>();
    for (LayerCost l : layers) {
      long[] t = out.computeIfAbsent(l.kind(), k -> new long[3]);
      t[0] += l.params();
      t[1] += l.macs();
      t[2] += 1;
    }
    return out;
  }

  /** Human-readable count: 574.0M, 4.72M, 12.3K, 1.02G. */
  public static String human(long n) {
    if (n >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2fG", n / 1e9);
    }
    if (n >= 1_000_000L) {
      return String.format(Locale.ROOT, "%.2fM", n / 1e6);
    }
    if (n >= 1_000L) {
      return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }
    return Long.toString(n);
  }

  /** A text report: summary, convention, per-kind totals and (optionally) every layer. */
  public String toText(boolean perLayer) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s  (input 1x%s)%n", source, input));
    sb.append(String.format(Locale.ROOT, "  params     %,15d  (%s)%n", params(), human(params())));
    sb.append(String.format(Locale.ROOT, "  MACs       %,15d  (%s)%n", macs(), human(macs())));
    sb.append(String.format(Locale.ROOT, "  FLOPs      %,15d  (%s, = 2 x MACs)%n", 2 * macs(), human(2 * macs())));
    sb.append(String.format(Locale.ROOT, "  other ops  %,15d  (%s, not in MACs)%n", otherOps(), human(otherOps())));
    sb.append("  convention: ").append(CONVENTION).append(System.lineSeparator());
    sb.append(String.format(Locale.ROOT, "%n  %-10s %7s %15s %15s%n", "kind", "layers", "params", "MACs"));
    byKind().forEach((k, t) -> sb.append(String.format(Locale.ROOT, "  %-10s %7d %,15d %,15d%n", k, t[2], t[0], t[1])));
    if (perLayer) {
      sb.append(String.format(Locale.ROOT, "%n  %-56s %-9s %-14s %12s %14s%n", "layer", "kind", "output", "params", "MACs"));
      for (LayerCost l : layers) {
        sb.append(String.format(Locale.ROOT, "  %-56s %-9s %-14s %,12d %,14d%n", l.name(), l.kind(), l.outputShape(),
            l.params(), l.macs()));
      }
    }
    return sb.toString();
  }

  public ObjectNode toJson(boolean perLayer) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("source", source);
    root.put("input", input);
    root.put("params", params());
    root.put("macs", macs());
    root.put("flops", 2 * macs());
    root.put("otherOps", otherOps());
    root.put("convention", CONVENTION);
    if (perLayer) {
      ArrayNode arr = root.putArray("layers");
      for (LayerCost l : layers) {
        arr.addObject().put("name", l.name()).put("kind", l.kind()).put("output", l.outputShape())
            .put("params", l.params()).put("macs", l.macs()).put("otherOps", l.otherOps());
      }
    }
    return root;
  }
}
