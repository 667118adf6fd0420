package dev.nas.core.genotype;

import java.util.List;

/**
 * A derived cell: for each intermediate node the edges that feed it, and the states whose
 * concatenation forms the cell output.
 */
public record CellGenotype(List<List<GenotypeEdge>> nodes, List<Integer> concat) {
  public CellGenotype {
    nodes = nodes.stream().map(List::copyOf).toList();
    concat = List.copyOf(concat);
  }

  /**
   * The states the cell output depends on: the output states and, through every edge that is not
   * {@code none}, the states they read, recursively. In a DARTS cell every state; in a
   * NAS-Bench-201 cell a node may be dead (e.g. node 3 = skip(x) ignores nodes 1 and 2), and a
   * derived network does not compute it.
   */
  public java.util.Set<Integer> liveStates(int inputStates) {
    java.util.Set<Integer> live = new java.util.HashSet<>(concat);
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (live.contains(inputStates + i)) {
        for (GenotypeEdge e : nodes.get(i)) {
          if (!e.op().equals("none")) {
            live.add(e.input());
          }
        }
      }
    }
    return live;
  }

  /** The edges of all nodes in node order, two per node: the DARTS Python list layout. */
  public List<GenotypeEdge> flatEdges() {
    return nodes.stream().flatMap(List::stream).toList();
  }
}
