package dev.nas.search.algo;

/**
 * Optimiser settings of bilevel search (DARTS defaults): weights by SGD with momentum, weight
 * decay and gradient clipping; architecture parameters by Adam. {@code hvpRadius} is the norm of
 * the weight perturbation of the second-order finite difference (DARTS: 0.01).
 */
public record BilevelSettings(double momentum, double weightDecay, double gradClip, double archLr, double archBeta1,
    double archBeta2, double archWeightDecay, boolean secondOrder, double hvpRadius) {
  public static BilevelSettings darts(boolean secondOrder) {
    return new BilevelSettings(0.9, 3e-4, 5.0, 3e-4, 0.5, 0.999, 1e-3, secondOrder, 0.01);
  }

  public BilevelSettings withHvpRadius(double r) {
    return new BilevelSettings(momentum, weightDecay, gradClip, archLr, archBeta1, archBeta2, archWeightDecay,
        secondOrder, r);
  }
}
