package dev.nas.macro;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Lays out the cells of a DARTS-style macro: reduction cells at 1/3 and 2/3 of the depth (where
 * the channel count doubles), and the channel bookkeeping between cells. Shared by the supernet
 * and derived networks so that both are wired identically.
 */
public final class MacroPlan {
  private MacroPlan() {}

  /** Whether cell {@code i} of {@code layers} is a reduction cell. */
  public static boolean isReduction(int i, int layers) {
    return i == layers / 3 || i == 2 * layers / 3;
  }

  /** The cell after which the auxiliary head attaches. */
  public static int auxiliaryCell(int layers) {
    return 2 * layers / 3;
  }

  /**
   * Plans {@code layers} cells.
   *
   * @param stemPrevPrev channels of the first cell's first input
   * @param stemPrev channels of the first cell's second input
   * @param channels cell width before the first reduction
   * @param firstReductionPrev whether the first cell's first input has twice its second's resolution
   * @param multiplier output channels of a cell per unit of its width, by cell type (the concat size)
   */
  public static List<CellPlan> plan(int layers, int stemPrevPrev, int stemPrev, int channels,
      boolean firstReductionPrev, ToIntFunction<String> multiplier) {
    List<CellPlan> cells = new ArrayList<>();
    int cpp = stemPrevPrev;
    int cp = stemPrev;
    int c = channels;
    boolean reductionPrev = firstReductionPrev;
    for (int i = 0; i < layers; i++) {
      boolean reduction = isReduction(i, layers);
      if (reduction) {
        c *= 2;
      }
      String type = reduction ? "reduce" : "normal";
      cells.add(new CellPlan(i, type, reduction, reductionPrev, cpp, cp, c));
      cpp = cp;
      cp = multiplier.applyAsInt(type) * c;
      reductionPrev = reduction;
    }
    return cells;
  }
}
