package dev.nas.core.macro;

import java.util.List;

/**
 * One cell's place in a macro: its type, its reduction stride (all ones for a normal cell; e.g.
 * (2,2) for an image reduction, (2,2,2) for an ST-reduction, (1,2,2) for an S-reduction), the
 * stride by which its first input's resolution exceeds its second's (the previous cell's
 * reduction stride, or the stem's; that input then goes through FactorizedReduce with it), and
 * its channel counts.
 */
public record CellPlan(int index, String type, List<Integer> stride, List<Integer> prevStride, int prevPrevChannels,
    int prevChannels, int channels) {
  public CellPlan {
    stride = List.copyOf(stride);
    prevStride = List.copyOf(prevStride);
    if (stride.size() != prevStride.size()) {
      throw new IllegalArgumentException("cell " + index + ": stride " + stride + " and previous stride " + prevStride
          + " differ in rank");
    }
  }

  /**
   * Whether this place holds the fixed residual block between two stages of the nb201 macro
   * (type {@link MacroLayout#RESIDUAL_BLOCK}) instead of a genotype cell.
   */
  public boolean residualBlock() {
    return type.equals(MacroLayout.RESIDUAL_BLOCK);
  }

  /** Whether the cell reduces resolution (its edges leaving the cell inputs are strided). */
  public boolean reduction() {
    return MacroLayout.strided(stride);
  }

  /** Whether the first input comes from before a reduction and needs FactorizedReduce. */
  public boolean reductionPrev() {
    return MacroLayout.strided(prevStride);
  }
}
