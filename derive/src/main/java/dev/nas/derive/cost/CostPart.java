package dev.nas.derive.cost;

import dev.nas.core.graph.Graph;

/**
 * A piece of a derived network whose cost is counted or measured on its own: one candidate
 * operation at one position, or a fixed part (stem, a cell's input preprocessing, a node's sum, a
 * cell's concatenation, the classifier). Pieces with the same key are the same computation on the
 * same shapes and cost the same; a latency table measures each key once.
 *
 * @param key the canonical description: what is computed on which shapes (see {@link CostPositions})
 * @param graph the piece as a one-input graph, or null when it computes nothing (an identity, or
 *     {@code none}), which costs nothing by definition
 */
public record CostPart(String key, Graph graph) {
  /** Whether the piece computes nothing. */
  public boolean empty() {
    return graph == null;
  }
}
