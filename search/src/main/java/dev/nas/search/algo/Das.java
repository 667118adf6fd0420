package dev.nas.search.algo;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.ops.SearchSpace;
import dev.nas.search.GenotypeDeriver;
import dev.nas.search.SearchConfig;
import dev.nas.search.sdas.Discretization;
import dev.nas.search.sdas.GenotypeRule;
import dev.nas.search.sdas.SdasSettings;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.Mixing;
import dev.nas.search.supernet.Supernet;

/**
 * DAS, the one-shot baseline of the SDAS paper: DARTS first order with edge strengths β
 * ({@link BetaMixing} with a discretization that never advances). The genotype by the paper's
 * rule ({@link GenotypeRule#DAS}: per node the top-k predecessors by β, each edge its arg-max α
 * operation) or, with {@code --genotype-rule darts}, by DARTS' rule on σ(β)·softmax(α).
 */
public final class Das extends SupernetAlgorithm {
  public Das() {
    super("das", "DARTS first order with edge strengths β, the SDAS paper's one-shot baseline");
  }

  /**
   * The SDAS paper's search settings (Section 4.1), which its DAS baseline shares: DARTS' with the
   * weight learning rate cosine-annealed to 0 ("annealed down to zero"); α and β start at 0
   * ({@link BetaMixing#initialScale}); the genotype by the paper's rule.
   */
  @Override
  public SearchConfig defaults() {
    SearchConfig d = SearchAlgorithms.dartsSettings(name(), null, SdasSettings.PAPER);
    return d.withWeights(d.weights().withLrMin(0));
  }

  @Override
  public void validate(SearchConfig.Settings settings) {
    super.validate(new SearchConfig.Settings(settings.schedule(), settings.cdarts(), null));
    if (settings.sdas() == null) {
      throw new IllegalArgumentException("a das configuration needs its SDAS settings");
    }
  }

  @Override
  public Mixing mixing(SearchSpace space, Discretization state, boolean normalizeEdges) {
    return new BetaMixing(space, state, normalizeEdges);
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
