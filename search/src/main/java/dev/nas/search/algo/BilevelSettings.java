package dev.nas.search.algo;

import dev.nas.search.SearchConfig;
import dev.nas.search.config.ArchOptimizer;
import dev.nas.search.config.WeightOptimizer;

/**
 * Optimiser settings of a supernet search: weights by SGD with momentum, weight decay and gradient
 * clipping; architecture parameters by Adam. {@code hvpRadius} is the norm of the weight
 * perturbation of the second-order finite difference (DARTS: 0.01).
 */
public record BilevelSettings(WeightOptimizer weights, ArchOptimizer arch, boolean secondOrder, double hvpRadius) {
  /** DARTS' radius of the finite-difference Hessian–vector product. */
  public static final double DARTS_HVP_RADIUS = 0.01;

  /** The optimiser settings of a search configuration. */
  public static BilevelSettings of(SearchConfig c, boolean secondOrder) {
    return new BilevelSettings(c.weights(), c.arch(), secondOrder, DARTS_HVP_RADIUS);
  }

  /** DARTS' settings. */
  public static BilevelSettings darts(boolean secondOrder) {
    return of(SearchAlgorithms.dartsSettings("darts"), secondOrder);
  }

  public BilevelSettings withHvpRadius(double r) {
    return new BilevelSettings(weights, arch, secondOrder, r);
  }
}
