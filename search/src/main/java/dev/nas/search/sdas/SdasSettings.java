package dev.nas.search.sdas;

/**
 * The settings only the SDAS paper's algorithms have (das and sdas-*); null for every other.
 *
 * @param genotypeRule how das reads its genotype (sdas-* take theirs from their decisions, the
 *     paper's rule for what is still undecided); null reads as {@link GenotypeRule#DAS}
 * @param queue how sdas-* spread their decisions over the cell types; null reads as
 *     {@link DecisionQueue#SHARED}
 */
public record SdasSettings(GenotypeRule genotypeRule, DecisionQueue queue) {
  /** The paper's: its DAS rule, one decision queue for the architecture. */
  public static final SdasSettings PAPER = new SdasSettings(GenotypeRule.DAS, DecisionQueue.SHARED);

  public SdasSettings {
    genotypeRule = genotypeRule == null ? GenotypeRule.DAS : genotypeRule;
    queue = queue == null ? DecisionQueue.SHARED : queue;
  }

  public SdasSettings withGenotypeRule(GenotypeRule r) {
    return new SdasSettings(r, queue);
  }

  public SdasSettings withQueue(DecisionQueue q) {
    return new SdasSettings(genotypeRule, q);
  }
}
