package dev.nas.search.algo;

import dev.nas.core.io.Tensor;
import dev.nas.djl.Batch;
import dev.nas.djl.TrainingStep;
import java.util.Map;

/**
 * How a search updates the architecture parameters (α, and β where the mixing has them) and the
 * weights in one iteration: {@link BilevelOptimizer} (DARTS: α on a validation batch) or
 * {@link OneLevelOptimizer} (PV-NAS: α and w both on the training batch).
 */
public interface SearchOptimizer {
  /** Whether {@link #step} needs a batch from a held-out validation split. */
  boolean usesValidation();

  /**
   * One search iteration with weight learning rate {@code lr}; {@code val} is ignored (and may be
   * null) when {@link #usesValidation()} is false.
   */
  StepStats step(Batch train, Batch val, double lr);

  /** A weight step alone (the α-frozen warm-up). */
  TrainingStep.Outcome weightStep(Batch train, double lr);

  /** Optimiser states for checkpoints. */
  Map<String, Tensor> state();

  void load(Map<String, Tensor> state);
}
