package dev.nas.search.cost;

import dev.nas.core.genotype.Genotype;
import dev.nas.core.run.RunLog;
import dev.nas.search.SearchConfig;
import dev.nas.search.algo.ArchObjective;
import dev.nas.search.supernet.Supernet;
import dev.nas.search.supernet.SupernetConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The cost side of one search: its tables, the objective of its architecture step, the budget fit
 * of its genotypes and the per-epoch cost record.
 */
public final class SearchCosts {
  private final CostModel model;
  private final EdgeSelection selection;
  private final List<BudgetFit.Budget> budgets = new ArrayList<>();
  private ExpectedCost expected;

  private SearchCosts(CostModel model, EdgeSelection selection) {
    this.model = model;
    this.selection = selection;
    CostSettings s = model.settings();
    for (CostMetric m : CostMetric.values()) {
      if (s.budget(m) > 0) {
        budgets.add(new BudgetFit.Budget(m, model.table(m), s.budget(m), m == CostMetric.LATENCY
            ? model.latencyMargin() : 0));
      }
    }
  }

  /**
   * The costs of {@code c}'s derived network for the supernet {@code sc}, whose genotype rule ranks
   * inputs by {@code selection}; logs what is optimised,
   * warns when the target is below the cheapest network of the space and refuses impossible budgets.
   */
  public static SearchCosts of(SearchConfig c, EdgeSelection selection, SupernetConfig sc, RunLog log)
      throws IOException {
    CostSettings s = c.cost();
    CostModel model = CostModel.of(s, sc.space(), sc.macro(), sc.input(), sc.classes());
    SearchCosts costs = new SearchCosts(model, selection);
    String net = describe(model);
    BudgetFit.requirePossible(costs.budgets, net);
    if (model.latencySource() != null) {
      log.info("latency table: " + model.latencySource());
    }
    if (s.hasTarget()) {
      CostMetric m = s.metric();
      double cheapest = model.table(m).cheapest();
      log.info(String.format(Locale.ROOT, "cost-aware search: target %s of the derived network (%s), penalty %s "
          + "with %s %.3g on %s; the space's cheapest network costs %s", m.format(s.target()), net, s.penalty().id(),
          s.penalty() == CostPenalty.MUL_LOG ? "β" : "λ", s.weight(), s.penaltyCost() == PenaltyCost.DERIVED
              ? "the derived genotype's cost (gradient through the expected cost)" : "the expected cost",
          m.format(cheapest)));
      if (cheapest > s.target()) {
        log.warn(String.format(Locale.ROOT, "the target %s looks unreachable: even the cheapest network of space %s "
            + "in %s costs %s; the penalty will push towards it without reaching it", m.format(s.target()),
            sc.space().name(), net, m.format(cheapest)));
      }
    }
    for (BudgetFit.Budget b : costs.budgets) {
      log.info(String.format(Locale.ROOT, "hard budget: the written genotype's network (%s) costs at most %s%s", net,
          b.metric().format(b.limit()), b.marginPercent() > 0 ? String.format(Locale.ROOT, "; the table's prediction "
              + "is held to %s, a %.1f%% margin (%s)", b.metric().format(b.fitLimit()), b.marginPercent(),
              s.latencyMargin() != null ? "--latency-margin" : "the table's largest calibration error") : ""));
    }
    return costs;
  }

  private static String describe(CostModel model) {
    var m = model.net();
    return m.kind().id() + " C=" + m.channels() + (m.kind().video() ? " K=" + m.repeat() + " C1=" + m.stemChannels()
        : ", " + m.layers() + " cells") + ", input " + m.input() + ", " + m.classes() + " classes";
  }

  public CostModel model() {
    return model;
  }

  /**
   * What the architecture step of a search on {@code net} minimises: with the penalty when there
   * is a target; {@code derived} gives the genotype the current state derives, by the algorithm's rule.
   */
  public ArchObjective objective(Supernet net, Supplier<Genotype> derived) {
    if (!model.settings().hasTarget()) {
      return ArchObjective.ACCURACY;
    }
    return new CostObjective(net, expected(), model.settings(), derived);
  }

  private ExpectedCost expected() {
    if (expected == null) {
      expected = new ExpectedCost(model.table(model.settings().metric()), selection);
    }
    return expected;
  }

  /** Whether genotypes are fitted to budgets. */
  public boolean budgeted() {
    return !budgets.isEmpty();
  }

  /** {@code g} fitted to the budgets by the supernet's current mixing weights. */
  public BudgetFit.Fit fit(Genotype g, Supernet net) {
    return BudgetFit.fit(g, net.mixingWeights(), budgets);
  }

  /** The epoch's record: expected cost under the current α, predicted cost of the genotype per tabled metric. */
  public CostRecord record(Supernet net, Genotype g, BudgetFit.Fit fit) {
    CostSettings s = model.settings();
    Map<String, Double> predicted = new LinkedHashMap<>();
    model.tables().forEach((m, t) -> predicted.put(m.id(), t.of(g)));
    return new CostRecord(s.metric(), s.hasTarget() ? s.target() : null, s.hasTarget() ? expected().value(net) : null,
        predicted, fit == null ? List.of() : fit.changes());
  }

  /** One log line for an epoch's record. */
  public String describe(CostRecord r, BudgetFit.Fit fit) {
    StringBuilder sb = new StringBuilder("cost:");
    if (r.metric() != null) {
      sb.append(String.format(Locale.ROOT, " expected %s (target %s),", r.metric().format(r.expected()),
          r.metric().format(r.target())));
    }
    sb.append(" genotype");
    r.predicted().forEach((m, v) -> sb.append(' ').append(CostMetric.parse(m).format(v)));
    if (fit != null && !fit.changes().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "; the budget changed %d choice%s (weight %.4f given up): %s",
          fit.changes().size(), fit.changes().size() == 1 ? "" : "s", fit.weightLost(),
          String.join("; ", fit.changes())));
    }
    return sb.toString();
  }
}
