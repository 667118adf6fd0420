package dev.nas.core.graph;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A static network: nodes in topological order (node 0 is the input), a main output and
 * optionally an auxiliary output whose head exists for training only.
 */
public final class Graph {
  private final List<Node> nodes;
  private final int output;
  private final int auxOutput;
  private final BitSet inference;

  Graph(List<Node> nodes, int output, int auxOutput) {
    this.nodes = List.copyOf(nodes);
    this.output = output;
    this.auxOutput = auxOutput;
    this.inference = reachable(output);
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Node node(int id) {
    return nodes.get(id);
  }

  public Node input() {
    return nodes.get(0);
  }

  public FeatureShape inputShape() {
    return nodes.get(0).shape();
  }

  public int output() {
    return output;
  }

  public boolean hasAuxOutput() {
    return auxOutput >= 0;
  }

  /** The auxiliary output's node id; only when {@link #hasAuxOutput()}. */
  public int auxOutput() {
    if (auxOutput < 0) {
      throw new IllegalStateException("graph has no auxiliary output");
    }
    return auxOutput;
  }

  /** Whether the node contributes to the main output (false for auxiliary-head nodes). */
  public boolean isInference(int id) {
    return inference.get(id);
  }

  /** Nodes the main output depends on, in topological order. */
  public List<Node> inferenceNodes() {
    return nodes.stream().filter(n -> inference.get(n.id())).toList();
  }

  public List<FeatureShape> inputShapes(Node n) {
    return n.inputs().stream().map(i -> nodes.get(i).shape()).toList();
  }

  /** All tensors, auxiliary head included, in node order. */
  public List<NamedParam> params() {
    return params(false);
  }

  /** Tensors of the inference path only (what is exported and counted). */
  public List<NamedParam> inferenceParams() {
    return params(true);
  }

  private List<NamedParam> params(boolean inferenceOnly) {
    List<NamedParam> out = new ArrayList<>();
    for (Node n : nodes) {
      if (inferenceOnly && !inference.get(n.id())) {
        continue;
      }
      for (ParamSpec spec : n.layer().params(inputShapes(n))) {
        out.add(new NamedParam(n.paramName(spec), spec, n));
      }
    }
    return out;
  }

  private BitSet reachable(int from) {
    BitSet seen = new BitSet(nodes.size());
    List<Integer> stack = new ArrayList<>(List.of(from));
    while (!stack.isEmpty()) {
      int id = stack.remove(stack.size() - 1);
      if (!seen.get(id)) {
        seen.set(id);
        stack.addAll(nodes.get(id).inputs());
      }
    }
    return seen;
  }
}
