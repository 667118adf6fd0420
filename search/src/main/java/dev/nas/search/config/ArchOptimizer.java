package dev.nas.search.config;

/**
 * Adam of the architecture parameters (α, and β where the mixing has them).
 *
 * @param lr learning rate
 * @param beta1 Adam's first-moment decay (DARTS: 0.5; PV-NAS: 0)
 * @param beta2 Adam's second-moment decay
 * @param weightDecay L2 weight decay of the architecture parameters
 */
public record ArchOptimizer(double lr, double beta1, double beta2, double weightDecay) {
  public ArchOptimizer {
    Require.that(lr > 0, "--arch-lr must be positive");
    Require.that(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam's betas must be in [0, 1)");
    Require.that(weightDecay >= 0, "--arch-weight-decay must be at least 0");
  }

  public ArchOptimizer withLr(double l) {
    return new ArchOptimizer(l, beta1, beta2, weightDecay);
  }
}
