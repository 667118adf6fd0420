package dev.nas.search.cost;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.genotype.GenotypeValidator;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.cost.CostTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a genotype fit hard budgets. While some budget is exceeded, it applies the one change of
 * one kept edge — another operation, or another input with its operation, of the same node — that
 * gives up the least architecture weight per unit of budget it saves: with W the mixing weights
 * (edges × ops, what the genotype rule ranks by), the change from (e, o) to (e', o') loses
 * {@code W[e,o] − W[e',o']} and saves {@code Σ_violated (c(e,o) − c(e',o')) / budget}, and only
 * changes that raise no budgeted cost are considered. The costs of nodes add up, so this always
 * reaches a network within a single budget when one exists (every node at its cheapest pair of
 * inputs is the space's cheapest network); a budget below the cheapest network is refused up front.
 */
public final class BudgetFit {
  private BudgetFit() {}

  /**
   * One budget: its metric, its table, its limit and the margin (percent) the table's prediction
   * keeps below the limit, for tables that predict only approximately (latency).
   */
  public record Budget(CostMetric metric, CostTable table, double limit, double marginPercent) {
    /** A budget the table counts exactly (MACs, parameters): no margin. */
    public Budget(CostMetric metric, CostTable table, double limit) {
      this(metric, table, limit, 0);
    }

    /** What the predicted cost must not exceed: the limit less the margin. */
    public double fitLimit() {
      return limit / (1 + marginPercent / 100);
    }
  }

  /**
   * The fitted genotype and what was changed.
   *
   * @param changes one line per change, in order
   * @param weightLost Σ of the weights given up (in W's units), the changes' price in α terms
   */
  public record Fit(Genotype genotype, List<String> changes, double weightLost) {
    public Fit {
      changes = List.copyOf(changes);
    }
  }

  /** Fails with one message naming the budget when even the space's cheapest network exceeds it. */
  public static void requirePossible(List<Budget> budgets, String net) {
    for (Budget b : budgets) {
      double cheapest = b.table().cheapest();
      if (cheapest > b.fitLimit()) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "impossible budget: the cheapest network of "
            + "space %s in %s costs %s, above --max-%s %s%s", b.table().space().name(), net, b.metric().format(cheapest),
            b.metric() == CostMetric.LATENCY ? "latency" : b.metric().id(), b.metric().format(b.limit()),
            b.marginPercent() > 0 ? String.format(Locale.ROOT, " less the %.1f%% margin (%s)", b.marginPercent(),
                b.metric().format(b.fitLimit())) : ""));
      }
    }
  }

  /** {@code g} changed as little (in W) as needed to fit every budget. */
  public static Fit fit(Genotype g, Map<String, float[]> weights, List<Budget> budgets) {
    SearchSpace space = budgets.get(0).table().space();
    Map<String, List<List<GenotypeEdge>>> cells = new LinkedHashMap<>();
    g.cells().forEach((t, c) -> {
      List<List<GenotypeEdge>> nodes = new ArrayList<>();
      c.nodes().forEach(n -> nodes.add(new ArrayList<>(n)));
      cells.put(t, nodes);
    });
    List<String> changes = new ArrayList<>();
    double lost = 0;
    while (true) {
      Genotype current = genotype(g, cells);
      double[] cost = budgets.stream().mapToDouble(b -> b.table().of(current)).toArray();
      boolean over = false;
      for (int k = 0; k < budgets.size(); k++) {
        over |= cost[k] > budgets.get(k).fitLimit();
      }
      if (!over) {
        return new Fit(GenotypeValidator.validate(current), changes, lost);
      }
      Change best = null;
      for (SearchSpace.CellType t : space.cellTypes()) {
        List<String> ops = t.ops();
        float[] w = weights.get(t.name());
        List<List<GenotypeEdge>> nodes = cells.get(t.name());
        for (int node = 0; node < nodes.size(); node++) {
          List<GenotypeEdge> kept = nodes.get(node);
          for (int slot = 0; slot < kept.size(); slot++) {
            GenotypeEdge from = kept.get(slot);
            int e = space.edgeIndex(node, from.input());
            int o = ops.indexOf(from.op());
            for (int input = 0; input < space.inputStates() + node; input++) {
              int in = input;
              if (input != from.input() && kept.stream().anyMatch(x -> x.input() == in)) {
                continue;
              }
              int e2 = space.edgeIndex(node, input);
              for (int o2 : space.keepableOps(t.name())) {
                if (e2 == e && o2 == o) {
                  continue;
                }
                double saved = 0;
                boolean raises = false;
                for (int k = 0; k < budgets.size(); k++) {
                  CostTable table = budgets.get(k).table();
                  double delta = table.entry(t.name(), e2, o2) - table.entry(t.name(), e, o);
                  raises |= delta > 0;
                  if (cost[k] > budgets.get(k).fitLimit()) {
                    saved += -delta / budgets.get(k).fitLimit();
                  }
                }
                if (raises || saved <= 0) {
                  continue;
                }
                double loss = w[e * ops.size() + o] - w[e2 * ops.size() + o2];
                double score = loss / saved;
                if (best == null || score < best.score()) {
                  best = new Change(t.name(), node, slot, new GenotypeEdge(ops.get(o2), input), loss, score);
                }
              }
            }
          }
        }
      }
      if (best == null) {
        throw new IllegalArgumentException("no genotype fits all the budgets together: each change that lowers one "
            + "raises another; relax one of --max-macs, --max-params, --max-latency");
      }
      GenotypeEdge old = cells.get(best.type()).get(best.node()).set(best.slot(), best.to());
      lost += best.loss();
      changes.add(String.format(Locale.ROOT, "%s cell node %d: %s from %d -> %s from %d (weight %.4f given up)",
          best.type(), best.node(), old.op(), old.input(), best.to().op(), best.to().input(), best.loss()));
    }
  }

  private record Change(String type, int node, int slot, GenotypeEdge to, double loss, double score) {}

  private static Genotype genotype(Genotype base, Map<String, List<List<GenotypeEdge>>> cells) {
    Map<String, CellGenotype> out = new LinkedHashMap<>();
    cells.forEach((t, nodes) -> out.put(t, new CellGenotype(nodes.stream().map(List::copyOf).toList(),
        base.cell(t).concat())));
    return new Genotype(base.space(), out);
  }
}
