package dev.nas.search.algo;

import ai.djl.ndarray.NDArray;
import dev.nas.djl.TrainingStep;

/**
 * What the architecture step minimises, from its pass's cross-entropy and logits: the
 * cross-entropy itself, or with a cost penalty ({@code dev.nas.search.cost.CostObjective}). The
 * cross-entropy stays the reported loss.
 */
@FunctionalInterface
public interface ArchObjective {
  /** The cross-entropy alone (an accuracy-only search). */
  ArchObjective ACCURACY = TrainingStep.Forward::new;

  TrainingStep.Forward loss(NDArray crossEntropy, NDArray logits);
}
