package dev.nas.search.cost;

import ai.djl.ndarray.NDArray;
import dev.nas.core.genotype.Genotype;
import dev.nas.djl.TrainingStep;
import dev.nas.search.algo.ArchObjective;
import dev.nas.search.supernet.Supernet;
import java.util.function.Supplier;

/**
 * The architecture step's loss with the cost of the derived network penalised towards a target:
 * the expected cost, or (by {@link CostSettings#penaltyCost()}) the derived genotype's cost with the
 * expected cost's gradient.
 */
public final class CostObjective implements ArchObjective {
  private final Supernet net;
  private final ExpectedCost expected;
  private final CostSettings settings;
  private final Supplier<Genotype> derived;

  /**
   * @param derived the genotype the supernet's current architecture parameters derive, by the
   *     algorithm's rule; read on every step when the penalty is taken at the derived cost
   */
  public CostObjective(Supernet net, ExpectedCost expected, CostSettings settings, Supplier<Genotype> derived) {
    if (!settings.hasTarget()) {
      throw new IllegalArgumentException("the cost objective needs a target");
    }
    this.net = net;
    this.expected = expected;
    this.settings = settings;
    this.derived = derived;
  }

  @Override
  public TrainingStep.Forward loss(NDArray crossEntropy, NDArray logits) {
    NDArray cost = expected.of(net, crossEntropy);
    if (settings.penaltyCost() == PenaltyCost.DERIVED) {
      cost = cost.sub(cost.stopGradient()).add(expected.table().of(derived.get()));
    }
    NDArray penalised = settings.penalty().apply(crossEntropy, cost, settings.target(), settings.weight(),
        settings.metric().logUnit());
    return new TrainingStep.Forward(penalised, logits, crossEntropy);
  }

  public ExpectedCost expected() {
    return expected;
  }
}
