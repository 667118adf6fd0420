package dev.nas.core.viz;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.GenotypeEdge;
import java.util.ArrayList;
import java.util.List;

/**
 * One derived cell as a small DAG over state indices: states {@code 0..INPUTS-1} are the cell
 * inputs, state {@code INPUTS + i} is intermediate node {@code i}, and the cell output (the
 * concatenation of the {@code concat} states) is given the index {@link #outputState()}.
 *
 * @param type the cell type, for example {@code normal}
 * @param inputs the cell's input states: 2 (c_{k-2}, c_{k-1}), or 1 (c_{k-1}) in NAS-Bench-201 cells
 * @param nodeCount the number of intermediate nodes
 * @param edges every operation edge, in genotype order
 * @param concat the states concatenated into the output
 */
record CellGraph(String type, int inputs, int nodeCount, List<Edge> edges, List<Integer> concat) {
  /** DARTS-style cells read the outputs of the two preceding cells, c_{k-2} and c_{k-1}. */
  static final int INPUTS = 2;

  /** An operation edge from state {@code from} into state {@code to}. */
  record Edge(int from, int to, String op) {}

  CellGraph {
    edges = List.copyOf(edges);
    concat = List.copyOf(concat);
  }

  /**
   * Builds the graph of a cell, checking only what drawing needs: every edge reads an earlier state
   * (so the cell is a DAG) and every concatenated state exists. Search-space rules such as the
   * number of inputs per node are left to the genotype validator.
   */
  static CellGraph of(String type, CellGenotype cell) {
    return of(type, cell, INPUTS);
  }

  /** The graph of a cell of genotype {@code g}, with its space's input count (2 for a space this build lacks). */
  static CellGraph of(dev.nas.core.genotype.Genotype g, String type) {
    int inputs = dev.nas.core.ops.SearchSpace.names().contains(g.space())
        ? dev.nas.core.ops.SearchSpace.named(g.space()).inputStates() : INPUTS;
    return of(type, g.cells().get(type), inputs);
  }

  /** The same with {@code inputs} input states. */
  static CellGraph of(String type, CellGenotype cell, int inputs) {
    if (type == null || cell == null) {
      throw new IllegalArgumentException("genotype has a null cell type or cell");
    }
    List<Edge> edges = new ArrayList<>();
    List<List<GenotypeEdge>> nodes = cell.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      int state = inputs + i;
      for (GenotypeEdge e : nodes.get(i)) {
        if (e.op() == null) {
          throw new IllegalArgumentException(type + " cell node " + i + " has an edge without an operation");
        }
        if (e.input() < 0 || e.input() >= state) {
          throw new IllegalArgumentException(type + " cell node " + i + " (state " + state + ") reads state "
              + e.input() + "; it can only read states 0.." + (state - 1));
        }
        edges.add(new Edge(e.input(), state, e.op()));
      }
    }
    int states = inputs + nodes.size();
    for (int s : cell.concat()) {
      if (s < 0 || s >= states) {
        throw new IllegalArgumentException(type + " cell concatenates state " + s + ", but the cell has states 0.."
            + (states - 1));
      }
    }
    return new CellGraph(type, inputs, nodes.size(), edges, cell.concat());
  }

  /** The index standing for the cell output node. */
  int outputState() {
    return inputs + nodeCount;
  }

  /**
   * The layer of every state and of the output: inputs are 0, a node is one more than its deepest
   * predecessor, and the output sits one layer right of everything.
   */
  int[] depths() {
    int[] depth = new int[outputState() + 1];
    int deepest = 0;
    for (int s = inputs; s < outputState(); s++) {
      int d = 1;
      for (Edge e : edges) {
        if (e.to() == s) {
          d = Math.max(d, depth[e.from()] + 1);
        }
      }
      depth[s] = d;
      deepest = Math.max(deepest, d);
    }
    depth[outputState()] = deepest + 1;
    return depth;
  }

  /** The plain-text name of a state as in the DARTS paper's figures: c_{k-2}, c_{k-1}, 0, 1, ..., c_{k}. */
  String stateName(int state) {
    String subscript = cellSubscript(state);
    return subscript == null ? Integer.toString(state - inputs) : "c_{" + subscript + "}";
  }

  /** For the cell inputs and the output, the subscript of their name c_{...}; null for intermediate nodes. */
  String cellSubscript(int state) {
    if (state < inputs) {
      return "k-" + (inputs - state);
    }
    return state == outputState() ? "k" : null;
  }
}
