package dev.nas.export.onnx;

import dev.nas.core.graph.Node;
import dev.nas.core.graph.ParamSpec;
import dev.nas.core.io.Tensor;
import java.util.Map;

/** The caller's tensors by name, handed out only after checking each against its layer's spec. */
final class Weights {
  private final Map<String, Tensor> tensors;

  Weights(Map<String, Tensor> tensors) {
    this.tensors = Map.copyOf(tensors);
  }

  /** The tensor {@code node} owns under {@code spec}; fails naming it when absent or misshapen. */
  Tensor require(Node node, ParamSpec spec) {
    String name = node.paramName(spec);
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("missing weight '" + name + "' (shape " + spec.shape() + ") of node '"
          + node.name() + "'");
    }
    if (!t.shape().equals(spec.shape())) {
      throw new IllegalArgumentException("weight '" + name + "' has shape " + t.shape() + ", but node '"
          + node.name() + "' needs " + spec.shape());
    }
    return t;
  }
}
