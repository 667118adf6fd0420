package dev.nas.search.config;

/**
 * SGD of the network weights.
 *
 * @param lr initial learning rate (annealed by the algorithm's schedule)
 * @param lrMin final learning rate of a cosine schedule
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay
 * @param gradClip gradient norm clip
 */
public record WeightOptimizer(double lr, double lrMin, double momentum, double weightDecay, double gradClip) {
  public WeightOptimizer {
    Require.that(lr > 0 && lrMin >= 0 && lrMin <= lr, "learning rates must satisfy 0 <= lr-min <= lr, lr > 0");
    Require.that(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1)");
    Require.that(weightDecay >= 0, "--weight-decay must be at least 0");
    Require.that(gradClip > 0, "--grad-clip must be positive");
  }

  public WeightOptimizer withLr(double l) {
    return new WeightOptimizer(l, lrMin, momentum, weightDecay, gradClip);
  }

  public WeightOptimizer withLrMin(double l) {
    return new WeightOptimizer(lr, l, momentum, weightDecay, gradClip);
  }

  public WeightOptimizer withWeightDecay(double wd) {
    return new WeightOptimizer(lr, lrMin, momentum, wd, gradClip);
  }
}
