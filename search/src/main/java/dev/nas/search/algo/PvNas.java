package dev.nas.search.algo;

import dev.nas.core.ops.SearchSpace;
import dev.nas.search.SearchConfig;
import dev.nas.search.SearchData;
import dev.nas.search.config.ArchOptimizer;
import dev.nas.search.config.EpochSchedule;
import dev.nas.search.config.SupernetShape;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.supernet.Mixing;
import dev.nas.search.supernet.SoftmaxMixing;
import dev.nas.search.supernet.Supernet;
import java.util.Locale;
import java.util.Optional;

/**
 * PV-NAS' one-level optimisation: α and the weights both learn on the training loss (no validation
 * split, {@link OneLevelOptimizer}), with a step-decayed weight learning rate (Section 3.3). The
 * defaults are the paper's Kinetics search (Section 4.1, "Hyper Parameters"): 80 epochs, weights
 * SGD lr 0.1 momentum 0.9 weight decay 1e-4 decayed ×0.1 every 20 epochs (three decays), α Adam
 * lr 1e-3 betas (0, 0.999), initial width C=64 ("we set the initial channel num as 64"). The
 * paper's Fig. 4 comparison, where a cosine schedule collapses to skip/none cells, is
 * {@code --lr-schedule cosine}.
 */
public final class PvNas extends SupernetAlgorithm {
  public PvNas() {
    super("pvnas", "PV-NAS' one-level optimisation: α and weights both on the training loss, no validation "
        + "split, step-decayed weight learning rate");
  }

  @Override
  public SearchConfig defaults() {
    SearchConfig d = super.defaults();
    SupernetShape s = d.supernet();
    return d.withWeights(d.weights().withLr(0.1).withWeightDecay(1e-4))
        .withArch(new ArchOptimizer(1e-3, 0.0, 0.999, 1e-3))
        .withSchedule(new EpochSchedule(80, d.schedule().batch(), 0, 0, EpochSchedule.LrSchedule.STEP))
        .withSupernet(new SupernetShape(s.space(), s.layers(), 64, s.repeat(), s.stemChannels(), s.partialChannels(),
            s.macro()));
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
  public SearchOptimizer optimizer(Supernet net, SearchConfig c, ArchObjective objective) {
    return new OneLevelOptimizer(net, BilevelSettings.of(c, false), objective);
  }

  @Override
  public Optional<String> describe(SearchConfig c, SearchData data) {
    return Optional.of(String.format(Locale.ROOT, "one-level optimisation: α (Adam lr %.3g, betas (%.3g, %.3g)) and "
        + "the weights (SGD momentum %.3g, weight decay %.3g) both learn on the training loss; no validation split, "
        + "all %d training samples are used for both (--train-portion is ignored) and the epoch-end evaluation "
        + "is on the training set; %s", c.arch().lr(), c.arch().beta1(),
        c.arch().beta2(), c.weights().momentum(), c.weights().weightDecay(), data.full().size(),
        c.schedule().lrSchedule() == EpochSchedule.LrSchedule.STEP
            ? String.format(Locale.ROOT, "weight lr %.4g × %.3g every %d epochs", c.weights().lr(),
                EpochSchedule.LR_STEP_FACTOR, c.schedule().lrStepEpochs())
            : String.format(Locale.ROOT, "weight lr %.4g cosine-annealed to %.4g (--lr-schedule cosine; the paper's "
                + "Fig. 4 finds it collapses to skip/none cells)", c.weights().lr(), c.weights().lrMin())));
  }
}
