package dev.nas.derive;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.CellPlan;
import java.util.List;

/**
 * The feature shapes of a derived network around its cells, which do not depend on the genotype:
 * what a cost table needs to place every candidate operation at every position.
 *
 * @param input the network's per-sample input
 * @param stemOut the stem's last output (the first cell's second input)
 * @param cells per cell, in order (the nb201 macro's residual blocks included, with
 *     {@code plan().residualBlock()}: input {@code in1}, output {@code out})
 * @param classifierIn the last cell's output, which global pooling and the classifier take
 */
public record NetworkLayout(FeatureShape input, FeatureShape stemOut, List<CellShapes> cells,
    FeatureShape classifierIn) {
  public NetworkLayout {
    cells = List.copyOf(cells);
  }

  /**
   * One cell's shapes.
   *
   * @param in0 its first input (two cells back, or the stem), before preprocessing
   * @param in1 its second input, before preprocessing
   * @param state a preprocessed input: what the edges leaving the cell inputs take
   * @param node an intermediate node: what the edges between intermediate nodes take, and what
   *     every edge outputs
   * @param concat intermediate nodes concatenated into the output
   * @param out the cell's output
   */
  public record CellShapes(CellPlan plan, FeatureShape in0, FeatureShape in1, FeatureShape state, FeatureShape node,
      int concat, FeatureShape out) {}
}
