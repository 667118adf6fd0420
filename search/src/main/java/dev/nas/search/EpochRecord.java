package dev.nas.search;

import dev.nas.search.sdas.Decision;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One epoch of a search as written to {@code history.json}: losses and accuracies, timing, the
 * genotype the architecture parameters derive to, the collapse indicators, and the gap between
 * the relaxed supernet and the discrete network it derives to.
 *
 * @param evalValLoss loss of the relaxed supernet on the validation split (inference mode)
 * @param evalValAcc its top-1 accuracy
 * @param discreteValLoss loss of the discrete network of {@code genotype} on the validation split, computed
 *     with the search's weights (SNAS' and SDAS' "discrete mode")
 * @param discreteValAcc its top-1 accuracy
 * @param seconds the whole epoch, evaluations included
 * @param secondsPerStep the training loop's seconds per step (evaluations excluded)
 * @param decisionsMade SDAS decisions made so far in its queue: over all cell types with the shared
 *     queue, per cell type with the per-type queue (0 for the other algorithms; {@code decisionsPerCell}
 *     in records written before the queue was a choice)
 * @param decisionsNeeded decisions of the queue that fully discretize the cells (edges + intermediate
 *     nodes, of all cell types with the shared queue)
 * @param searchSpaceSize discrete architectures still reachable from the current decisions
 * @param decisions every SDAS decision up to the end of this epoch, in order, with the iteration it was taken
 *     at: a snapshot, so later decisions never show in an earlier epoch's record
 * @param cost the expected and predicted costs of a cost-aware search; null (and not written) otherwise
 */
public record EpochRecord(int epoch, double lr, double trainLoss, double trainAcc, double searchValLoss,
    double searchValAcc, double evalValLoss, double evalValAcc, double discreteValLoss, double discreteValAcc,
    double seconds, double secondsPerStep, String genotype, int normalSkips, int normalParameterFree,
    Map<String, Double> meanOpWeightNormal, @com.fasterxml.jackson.annotation.JsonAlias("decisionsPerCell") int decisionsMade, int decisionsNeeded, BigInteger searchSpaceSize,
    List<Decision> decisions, List<String> warnings,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    dev.nas.search.cost.CostRecord cost) {
  public EpochRecord {
    decisions = List.copyOf(decisions);
    warnings = List.copyOf(warnings);
    meanOpWeightNormal = Collections.unmodifiableMap(new LinkedHashMap<>(meanOpWeightNormal));
  }
}
