package dev.nas.core.graph;

import java.util.List;

/** One layer application in a {@link Graph}; {@code inputs} are ids of earlier nodes. */
public record Node(int id, String name, Layer layer, List<Integer> inputs, FeatureShape shape) {
  public Node {
    inputs = List.copyOf(inputs);
  }

  /** Full name of one of this node's tensors, e.g. {@code cells.0.pre1.conv.weight}. */
  public String paramName(ParamSpec spec) {
    return name + "." + spec.name();
  }
}
