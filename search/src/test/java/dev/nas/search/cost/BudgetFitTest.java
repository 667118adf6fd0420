package dev.nas.search.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.RandomGenotypes;
import dev.nas.core.graph.FeatureShape;
import dev.nas.core.macro.MacroConfig;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.Preprocessing;
import dev.nas.derive.cost.CostPositions;
import dev.nas.derive.cost.CostTable;
import dev.nas.derive.cost.CountedCost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BudgetFitTest {
  private static final MacroConfig CIFAR = new MacroConfig(MacroConfig.Kind.CIFAR, 8, 6, 10, FeatureShape.of(3, 16, 16),
      false);
  private static final CostPositions POSITIONS = CostPositions.of(SearchSpace.DARTS, CIFAR, Preprocessing.identity(3));
  private static final CostTable MACS = CountedCost.MACS.table(POSITIONS);
  private static final CostTable PARAMS = CountedCost.PARAMS.table(POSITIONS);

  private static Map<String, float[]> weights(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, float[]> w = new LinkedHashMap<>();
    for (String t : List.of("normal", "reduce")) {
      float[] v = new float[14 * 8];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextDouble();
      }
      w.put(t, v);
    }
    return w;
  }

  @Test
  void fittedGenotypesNeverExceedTheBudget() {
    for (long seed = 0; seed < 12; seed++) {
      Genotype g = RandomGenotypes.sample(SearchSpace.DARTS, seed);
      double cost = MACS.of(g);
      double cheapest = MACS.cheapest();
      for (double f : new double[] {0, 0.3, 0.7, 1.2}) {
        double limit = cheapest + f * (cost - cheapest);
        BudgetFit.Fit fit = BudgetFit.fit(g, weights(seed), List.of(new BudgetFit.Budget(CostMetric.MACS, MACS,
            limit)));
        assertTrue(MACS.of(fit.genotype()) <= limit, "seed " + seed + " f " + f);
        if (f >= 1) {
          assertEquals(g, fit.genotype(), "a genotype within the budget is kept");
          assertTrue(fit.changes().isEmpty());
        } else {
          assertTrue(!fit.changes().isEmpty());
        }
      }
    }
  }

  @Test
  void twoBudgetsAtOnce() {
    Genotype g = RandomGenotypes.sample(SearchSpace.DARTS, 3);
    double macs = (MACS.of(g) + MACS.cheapest()) / 2;
    double params = (PARAMS.of(g) + PARAMS.cheapest()) / 2;
    BudgetFit.Fit fit = BudgetFit.fit(g, weights(3), List.of(new BudgetFit.Budget(CostMetric.MACS, MACS, macs),
        new BudgetFit.Budget(CostMetric.PARAMS, PARAMS, params)));
    assertTrue(MACS.of(fit.genotype()) <= macs);
    assertTrue(PARAMS.of(fit.genotype()) <= params);
  }

  @Test
  void theChangeGivingUpLeastWeightPerSavingComesFirst() {
    Genotype g = RandomGenotypes.sample(SearchSpace.DARTS, 5);
    double limit = MACS.of(g) - 1;
    BudgetFit.Fit fit = BudgetFit.fit(g, weights(5), List.of(new BudgetFit.Budget(CostMetric.MACS, MACS, limit)));
    assertTrue(fit.changes().size() >= 1);
    assertTrue(fit.changes().get(0).contains("cell node"), fit.changes().get(0));
  }

  @Test
  void impossibleBudgetsAreRefusedNamingTheCheapestNetwork() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BudgetFit.requirePossible(
        List.of(new BudgetFit.Budget(CostMetric.MACS, MACS, MACS.cheapest() - 1)), "cifar C=8"));
    assertTrue(e.getMessage().contains("impossible budget") && e.getMessage().contains("--max-macs"), e.getMessage());
    BudgetFit.requirePossible(List.of(new BudgetFit.Budget(CostMetric.MACS, MACS, MACS.cheapest())), "cifar C=8");
  }

  @Test
  void aMarginHoldsThePredictionBelowTheLimit() {
    Genotype g = RandomGenotypes.sample(SearchSpace.DARTS, 7);
    double limit = (MACS.of(g) + MACS.cheapest()) / 2;
    BudgetFit.Budget b = new BudgetFit.Budget(CostMetric.LATENCY, MACS, limit, 10);
    assertEquals(limit / 1.1, b.fitLimit(), 1e-9);
    BudgetFit.Fit fit = BudgetFit.fit(g, weights(7), List.of(b));
    assertTrue(MACS.of(fit.genotype()) <= limit / 1.1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BudgetFit.requirePossible(
        List.of(new BudgetFit.Budget(CostMetric.LATENCY, MACS, MACS.cheapest() * 1.05, 10)), "cifar C=8"));
    assertTrue(e.getMessage().contains("less the 10.0% margin"), e.getMessage());
  }
}
