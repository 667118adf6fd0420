package dev.nas.search.cost;

import ai.djl.ndarray.NDArray;
import dev.nas.djl.TrainingStep;
import dev.nas.search.algo.ArchObjective;
import dev.nas.search.supernet.Supernet;

/** The architecture step's loss with the expected cost of the derived network penalised towards a target. */
public final class CostObjective implements ArchObjective {
  private final Supernet net;
  private final ExpectedCost expected;
  private final CostSettings settings;

  public CostObjective(Supernet net, ExpectedCost expected, CostSettings settings) {
    if (!settings.hasTarget()) {
      throw new IllegalArgumentException("the cost objective needs a target");
    }
    this.net = net;
    this.expected = expected;
    this.settings = settings;
  }

  @Override
  public TrainingStep.Forward loss(NDArray crossEntropy, NDArray logits) {
    NDArray e = expected.of(net, crossEntropy);
    NDArray penalised = settings.penalty().apply(crossEntropy, e, settings.target(), settings.weight(),
        settings.metric().logUnit());
    return new TrainingStep.Forward(penalised, logits, crossEntropy);
  }

  public ExpectedCost expected() {
    return expected;
  }
}
