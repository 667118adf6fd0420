package dev.nas.search.algo;

import dev.nas.core.ops.SearchSpace;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.supernet.Mixing;
import dev.nas.search.supernet.SoftmaxMixing;

/** DARTS (Liu et al. 2019): softmax mixing of every operation, α on the validation loss, first or second order. */
public final class Darts extends SupernetAlgorithm {
  private final boolean secondOrder;

  public Darts(boolean secondOrder) {
    super(secondOrder ? "darts2" : "darts", secondOrder
        ? "DARTS second order: α steps through one unrolled weight step (finite-difference Hessian-vector product)"
        : "DARTS first order (default): α on the validation loss at the current weights");
    this.secondOrder = secondOrder;
  }

  @Override
  public boolean secondOrder() {
    return secondOrder;
  }

  @Override
  public Mixing mixing(SearchSpace space, Discretization state, boolean normalizeEdges) {
    return new SoftmaxMixing(space, normalizeEdges);
  }
}
