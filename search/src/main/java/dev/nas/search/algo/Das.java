package dev.nas.search.algo;

import dev.nas.core.genotype.Genotype;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.SearchConfig;
import dev.nas.search.sdas.GenotypeRule;
import dev.nas.search.sdas.SdasPaperAlgorithm;
import dev.nas.search.sdas.SdasSettings;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.Supernet;

/**
 * DAS, the one-shot baseline of the SDAS paper: DARTS first order with edge strengths β
 * ({@link BetaMixing} with a discretization that never advances). The genotype by the paper's
 * rule ({@link GenotypeRule#DAS}: per node the top-k predecessors by β, each edge its arg-max α
 * operation) or, with {@code --genotype-rule darts}, by DARTS' rule on σ(β)·softmax(α).
 */
public final class Das extends SdasPaperAlgorithm {
  public Das() {
    super("das", "DARTS first order with edge strengths β, the SDAS paper's one-shot baseline");
  }

  /** Before the {@code sdas} group, das read its genotype by DARTS' rule. */
  @Override
  public SdasSettings settingsBeforeTheGroup() {
    return super.settingsBeforeTheGroup().withGenotypeRule(GenotypeRule.DARTS);
  }

  @Override
  public Genotype derive(Supernet net, long iteration, SearchConfig c) {
    if (c.sdas().genotypeRule() == GenotypeRule.DARTS) {
      return super.derive(net, iteration, c);
    }
    BetaMixing beta = (BetaMixing) net.mixing();
    return GenotypeDeriver.derive(net.config().space(), beta.discreteWeights(net.params(), iteration));
  }
}
