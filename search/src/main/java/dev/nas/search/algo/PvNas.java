package dev.nas.search.algo;

import dev.nas.core.ops.SearchSpace;
import dev.nas.djl.optim.LrSchedule;
import dev.nas.djl.optim.StepSchedule;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchData;
import dev.nas.search.config.ArchOptimizer;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.supernet.Mixing;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import java.util.Locale;
import java.util.Optional;

/**
 * PV-NAS' one-level optimisation: α and the weights both learn on the training loss (no validation
 * split, {@link OneLevelOptimizer}), with a step-decayed weight learning rate; Adam betas (0, 0.999)
 * on α, weight decay 1e-4 on the weights.
 */
public final class PvNas extends SupernetAlgorithm {
  /** The learning-rate decay factor of the step schedule. */
  public static final double LR_STEP_FACTOR = 0.1;

  public PvNas() {
    super("pvnas", "PV-NAS' one-level optimisation: α and weights both on the training loss, no validation "
        + "split, step-decayed weight learning rate");
  }

  @Override
  public SearchConfig defaults() {
    SearchConfig d = super.defaults();
    return d.withWeights(d.weights().withWeightDecay(1e-4)).withArch(new ArchOptimizer(1e-3, 0.0, 0.999, 1e-3));
  }

  @Override
  public void validate(SearchConfig.Settings settings) {
    if (settings.cdarts() != null) {
      throw new IllegalArgumentException("CDARTS settings are for --algo cdarts, not pvnas");
    }
  }

  @Override
  public boolean usesValidation() {
    return false;
  }

  @Override
  public Mixing mixing(SearchSpace space, Discretization state, boolean normalizeEdges) {
    return new SoftmaxMixing(space, normalizeEdges);
  }

  @Override
  public SearchOptimizer optimizer(Supernet net, SearchConfig c) {
    return new OneLevelOptimizer(net, BilevelSettings.of(c, false));
  }

  /**
   * The default step of the decay: a third of the epochs (rounded up), so a run decays the learning
   * rate twice (once when it has two epochs, never with one).
   */
  public static int defaultLrStep(int epochs) {
    return Math.max(1, (epochs + 2) / 3);
  }

  @Override
  public LrSchedule lrSchedule(SearchConfig c) {
    int step = c.schedule().lrStep();
    return new StepSchedule(c.weights().lr(), LR_STEP_FACTOR, step > 0 ? step : defaultLrStep(c.schedule().epochs()));
  }

  @Override
  public Optional<String> describe(SearchConfig c, SearchData data) {
    return Optional.of(String.format(Locale.ROOT, "one-level optimisation: α (Adam lr %.3g, betas (%.3g, %.3g)) and "
        + "the weights (SGD momentum %.3g, weight decay %.3g) both learn on the training loss; no validation split, "
        + "all %d training samples are used for both (--train-portion is ignored) and the epoch-end evaluation "
        + "is on the training set; weight lr %.4g × %.3g every %d epochs", c.arch().lr(), c.arch().beta1(),
        c.arch().beta2(), c.weights().momentum(), c.weights().weightDecay(), data.full().size(), c.weights().lr(),
        LR_STEP_FACTOR,
        ((StepSchedule) lrSchedule(c)).every()));
  }
}
