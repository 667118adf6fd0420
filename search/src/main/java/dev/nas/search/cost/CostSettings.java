package dev.nas.search.cost;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The cost group of a search configuration: a target the architecture step is penalised towards,
 * and hard budgets the written genotype must fit; null when the search is accuracy-only. Costs are
 * those of the derived network {@code net}, counted by the project's counter (MACs, parameters) or
 * predicted by the latency table {@code lut} ({@code nas lut}).
 *
 * @param metric what {@code target} counts; null when there is no target (budgets only)
 * @param target the cost the penalty aims at (MACs, parameters, or ms per batch); 0 without a target
 * @param penalty how the expected cost enters the loss
 * @param weight β of mul-log, λ of the additive forms; 0 reads as the penalty's default
 * @param net the derived network's shape
 * @param lut path of the latency table; needed by a latency target or budget
 * @param maxMacs hard budget on the genotype's network (0: none)
 * @param maxParams hard budget (0: none)
 * @param maxLatency hard budget in ms, as the table predicts it (0: none)
 * @param latencyMargin percent the table's prediction of the written genotype must stay below
 *     {@code maxLatency}: the table predicts a network only so well; null reads as the table's own
 *     largest calibration error (0 for a table without calibration)
 * @param penaltyCost the cost the penalty's value is taken at: the expected cost, or the derived
 *     genotype's with the expected cost's gradient; null reads as {@link PenaltyCost#EXPECTED}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CostSettings(CostMetric metric, double target, CostPenalty penalty, double weight, DerivedShape net,
    String lut, long maxMacs, long maxParams, double maxLatency, Double latencyMargin, PenaltyCost penaltyCost) {
  public CostSettings {
    penalty = penalty == null ? CostPenalty.ADD_LINEAR : penalty;
    penaltyCost = penaltyCost == null ? PenaltyCost.EXPECTED : penaltyCost;
    weight = weight == 0 ? penalty.defaultWeight() : weight;
    net = net == null ? new DerivedShape(null, 0, 0, 0, 0) : net;
    if (metric == null && target != 0) {
      throw new IllegalArgumentException("a cost target needs its metric");
    }
    if (metric != null && !(target > 0)) {
      throw new IllegalArgumentException("--target-" + metric.id() + " must be positive, got " + target);
    }
    if (metric != null && penalty == CostPenalty.MUL_LOG && target * metric.logUnit() <= Math.E) {
      throw new IllegalArgumentException("--cost-penalty mul-log divides by log(target): the target must exceed e "
          + (metric == CostMetric.LATENCY ? "microseconds" : metric.unit()) + ", got " + target);
    }
    if (!(weight > 0)) {
      throw new IllegalArgumentException("--cost-weight must be positive, got " + weight);
    }
    if (latencyMargin != null && !(latencyMargin >= 0 && latencyMargin < 100)) {
      throw new IllegalArgumentException("--latency-margin must be a percentage in [0, 100), got " + latencyMargin);
    }
    if (maxMacs < 0 || maxParams < 0 || maxLatency < 0) {
      throw new IllegalArgumentException("--max-macs, --max-params and --max-latency must be positive");
    }
    if ((metric == CostMetric.LATENCY || maxLatency > 0) && (lut == null || lut.isBlank())) {
      throw new IllegalArgumentException("a latency target or budget needs the latency table it is measured in: "
          + "--lut lut.json (build one with nas lut)");
    }
    if (metric == null && maxMacs == 0 && maxParams == 0 && maxLatency == 0) {
      throw new IllegalArgumentException("the cost settings name neither a target nor a budget");
    }
  }

  /** Whether the architecture step is penalised. */
  public boolean hasTarget() {
    return metric != null;
  }

  /** Whether the written genotype must fit budgets. */
  public boolean hasBudget() {
    return maxMacs > 0 || maxParams > 0 || maxLatency > 0;
  }

  /** The budget on {@code m}, 0 when there is none. */
  public double budget(CostMetric m) {
    return switch (m) {
      case MACS -> maxMacs;
      case PARAMS -> maxParams;
      case LATENCY -> maxLatency;
    };
  }
}
