package dev.nas.core.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds a {@link Graph} node by node, inferring and checking shapes as it goes. */
public final class GraphBuilder {
  private final List<Node> nodes = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  /** Starts a graph whose input has the given per-sample shape. */
  public GraphBuilder(FeatureShape inputShape) {
    nodes.add(new Node(0, "input", new Layer.Input(inputShape), List.of(), inputShape));
    names.add("input");
  }

  /** The input node's id. */
  public int input() {
    return 0;
  }

  /** Adds a node and returns its id; fails naming the node if the inputs do not fit. */
  public int add(String name, Layer layer, int... inputs) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("duplicate node name " + name);
    }
    List<Integer> in = new ArrayList<>();
    List<FeatureShape> shapes = new ArrayList<>();
    for (int i : inputs) {
      if (i < 0 || i >= nodes.size()) {
        throw new IllegalArgumentException("node " + name + " refers to unknown node " + i);
      }
      in.add(i);
      shapes.add(nodes.get(i).shape());
    }
    FeatureShape out;
    try {
      out = layer.output(shapes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    int id = nodes.size();
    nodes.add(new Node(id, name, layer, in, out));
    return id;
  }

  public FeatureShape shape(int id) {
    return nodes.get(id).shape();
  }

  /** The graph with the given output node. */
  public Graph build(int output) {
    return new Graph(nodes, output, -1);
  }

  /** The graph with a main output and an auxiliary (training-only) output. */
  public Graph build(int output, int auxOutput) {
    return new Graph(nodes, output, auxOutput);
  }
}
