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

  /** The edges of all nodes in node order, two per node: the DARTS Python list layout. */
  public List<GenotypeEdge> flatEdges() {
    return nodes.stream().flatMap(List::stream).toList();
  }
}
