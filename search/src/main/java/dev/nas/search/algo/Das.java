package dev.nas.search.algo;

import dev.nas.core.ops.SearchSpace;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.Mixing;

/**
 * DAS, the one-shot baseline of the SDAS paper: DARTS first order with edge strengths β
 * ({@link BetaMixing} with a discretization that never advances); the genotype by DARTS' rule on
 * σ(β)·softmax(α).
 */
public final class Das extends SupernetAlgorithm {
  public Das() {
    super("das", "DARTS first order with edge strengths β, the SDAS paper's one-shot baseline");
  }

  @Override
  public Mixing mixing(SearchSpace space, Discretization state, boolean normalizeEdges) {
    return new BetaMixing(space, state, normalizeEdges);
  }
}
