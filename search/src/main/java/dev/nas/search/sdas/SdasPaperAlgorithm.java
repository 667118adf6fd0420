package dev.nas.search.sdas;

import dev.nas.core.ops.SearchSpace;
import dev.nas.search.SearchConfig;
import dev.nas.search.algo.SearchAlgorithms;
import dev.nas.search.algo.SupernetAlgorithm;
import dev.nas.search.supernet.BetaMixing;
import dev.nas.search.supernet.Mixing;

/**
 * An algorithm of the SDAS paper (its DAS baseline and SDAS itself): the β mixing, the paper's
 * own settings group ({@link SdasSettings}) and its search settings.
 */
public abstract class SdasPaperAlgorithm extends SupernetAlgorithm {
  protected SdasPaperAlgorithm(String name, String description) {
    super(name, description);
  }

  /**
   * The SDAS paper's search settings (Section 4.1), the same for DAS and SDAS: DARTS' with the
   * weight learning rate cosine-annealed to 0 ("annealed down to zero"); α and β start at 0
   * ({@link BetaMixing#initialScale}); the paper's genotype rule and one decision queue for the
   * architecture ({@link SdasSettings#PAPER}).
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
      throw new IllegalArgumentException("--algo " + name() + " needs its SDAS settings (the sdas group)");
    }
  }

  /**
   * What a configuration stored before the {@code sdas} group existed ran with: the genotype rule
   * of today's default, decisions queued per cell type.
   */
  public SdasSettings settingsBeforeTheGroup() {
    return SdasSettings.PAPER.withQueue(DecisionQueue.PER_TYPE);
  }

  @Override
  public Mixing mixing(SearchSpace space, Discretization state, boolean normalizeEdges) {
    return new BetaMixing(space, state, normalizeEdges);
  }

  /** Inputs by edge strength σ(β), as the paper's rule (and SDAS' node decisions) rank them; DARTS' rule on request. */
  @Override
  public dev.nas.search.cost.EdgeSelection edgeSelection(SearchConfig c) {
    return c.sdas().genotypeRule() == GenotypeRule.DARTS ? dev.nas.search.cost.EdgeSelection.STRONGEST_OP
        : dev.nas.search.cost.EdgeSelection.EDGE_STRENGTH;
  }
}
