package dev.nas.search.algo;

import dev.nas.core.io.Tensor;
import dev.nas.djl.Batch;
import dev.nas.djl.TrainingStep;
import dev.nas.search.supernet.Supernet;
import java.util.Map;

/**
 * PV-NAS' one-level optimisation: per iteration, an Adam step of the architecture parameters on
 * the training batch's loss, then an SGD step of the weights on the same batch (with the updated
 * α). There is no validation split. The α step is DARTS' first-order step with the training batch
 * in place of the validation batch, so BN running statistics again follow the weight step only.
 */
public final class OneLevelOptimizer implements SearchOptimizer {
  private final BilevelOptimizer steps;

  public OneLevelOptimizer(Supernet net, BilevelSettings settings) {
    this(net, settings, ArchObjective.ACCURACY);
  }

  /** @param objective what the architecture step minimises on the training batch */
  public OneLevelOptimizer(Supernet net, BilevelSettings settings, ArchObjective objective) {
    if (settings.secondOrder()) {
      throw new IllegalArgumentException("one-level optimisation has no unrolled (second-order) α step");
    }
    this.steps = new BilevelOptimizer(net, settings, objective);
  }

  @Override
  public boolean usesValidation() {
    return false;
  }

  /** Architecture step then weight step, both on {@code train}; the val fields of the result are empty. */
  @Override
  public StepStats step(Batch train, Batch val, double lr) {
    steps.archStep(train, train, lr);
    return new StepStats(steps.weightStep(train, lr), null);
  }

  @Override
  public TrainingStep.Outcome weightStep(Batch train, double lr) {
    return steps.weightStep(train, lr);
  }

  @Override
  public Map<String, Tensor> state() {
    return steps.state();
  }

  @Override
  public void load(Map<String, Tensor> state) {
    steps.load(state);
  }
}
