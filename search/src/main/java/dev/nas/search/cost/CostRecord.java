package dev.nas.search.cost;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An epoch's costs in {@code history.json}.
 *
 * @param metric what the target counts (null without a target)
 * @param target the target
 * @param expected the expected cost under the architecture parameters at the epoch's end
 * @param predicted per metric tabled (target and budgets), the cost of the genotype written at the epoch's end
 * @param budgetChanges the choices the hard budget changed in the genotype the rule derived (empty when it fit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CostRecord(CostMetric metric, Double target, Double expected, Map<String, Double> predicted,
    List<String> budgetChanges) {
  public CostRecord {
    predicted = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(predicted));
    budgetChanges = List.copyOf(budgetChanges);
  }
}
