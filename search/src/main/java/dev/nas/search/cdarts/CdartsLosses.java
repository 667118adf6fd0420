package dev.nas.search.cdarts;

import ai.djl.ndarray.NDArray;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Losses;
import dev.nas.djl.Parameters;
import java.util.List;

/** The loss terms of CDARTS besides plain cross-entropy. */
public final class CdartsLosses {
  /** The operation whose weight the L1 penalty shrinks. */
  public static final String SKIP = "skip_connect";

  private CdartsLosses() {}

  /**
   * Soft-target distillation (CDARTS eq. 9): {@code T² · mean_batch KL(p_T ‖ q_T)} with
   * {@code p_T = softmax(teacher / T)}, {@code q_T = softmax(student / T)}. The teacher is a target:
   * no gradient flows into it, only into the student (and through it into α).
   */
  public static NDArray distillation(NDArray student, NDArray teacher, double temperature) {
    NDArray logP = teacher.stopGradient().div(temperature).logSoftmax(1);
    NDArray logQ = student.div(temperature).logSoftmax(1);
    return logP.exp().mul(logP.sub(logQ)).sum(new int[] {1}).mean().mul(temperature * temperature);
  }

  /** Distillation summed over the levels (stage heads and classifier), level by level. */
  public static NDArray multiLevelDistillation(List<NDArray> student, List<NDArray> teacher, double temperature) {
    if (student.size() != teacher.size()) {
      throw new IllegalArgumentException("student has " + student.size() + " levels of logits, teacher "
          + teacher.size());
    }
    NDArray sum = null;
    for (int i = 0; i < student.size(); i++) {
      NDArray d = distillation(student.get(i), teacher.get(i), temperature);
      sum = sum == null ? d : sum.add(d);
    }
    return sum;
  }

  /** Cross-entropy summed over every level of logits (multi-level supervision of the stage heads). */
  public static NDArray multiLevelCrossEntropy(List<NDArray> logits, NDArray labels) {
    NDArray sum = null;
    for (NDArray l : logits) {
      NDArray ce = Losses.crossEntropy(l, labels, 0);
      sum = sum == null ? ce : sum.add(ce);
    }
    return sum;
  }

  /**
   * CDARTS' skip-connection penalty, without λ': {@link CdartsSettings.SkipPenalty#ALPHA} is Eq. 11's
   * ‖α_skip‖₁, the sum over cell types and edges of |α_e[skip_connect]|;
   * {@link CdartsSettings.SkipPenalty#SOFTMAX} the sum of {@code softmax(α_e)[skip_connect]}. Null
   * when no cell type of the space has a skip connection.
   */
  public static NDArray skipPenalty(Parameters params, SearchSpace space, NDArray like,
      CdartsSettings.SkipPenalty form) {
    NDArray sum = null;
    for (SearchSpace.CellType t : space.cellTypes()) {
      int skip = t.ops().indexOf(SKIP);
      if (skip < 0) {
        continue;
      }
      NDArray a = params.get(TensorNames.alpha(t.name()));
      NDArray w = form == CdartsSettings.SkipPenalty.SOFTMAX ? a.softmax(1) : a.get(":, " + skip + ":" + (skip + 1));
      w.attach(like.getManager());
      NDArray s = form == CdartsSettings.SkipPenalty.SOFTMAX ? w.get(":, " + skip).sum() : w.abs().sum();
      sum = sum == null ? s : sum.add(s);
    }
    return sum;
  }
}
