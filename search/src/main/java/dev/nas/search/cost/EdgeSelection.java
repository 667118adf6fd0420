package dev.nas.search.cost;

/**
 * By which strength the genotype rule ranks a node's inputs, read from the mixing weights W
 * (edges × ops, edge weights included): what the expected cost's input selection follows.
 */
public enum EdgeSelection {
  /** DARTS' rule: an edge's strongest keepable operation weight, {@code max_{o≠none} W_eo}. */
  STRONGEST_OP,
  /**
   * The DAS/SDAS rule: the edge strength σ(β) alone, read as {@code Σ_{o≠none} W_eo} (W = σ(β)·softmax(α)
   * on an undecided edge of a space without none; 1 on an edge SDAS kept, 0 on one it dropped).
   */
  EDGE_STRENGTH
}
