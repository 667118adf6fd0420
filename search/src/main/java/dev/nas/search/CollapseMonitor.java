package dev.nas.search;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.ops.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Watches for the best-known failure of differentiable search: normal cells filling up with
 * parameter-free operations (skip connections above all), which looks fine in the loss curve
 * and yields poor networks; in NAS-Bench-201 cells also {@code none} cutting every path from the
 * cell input to its output. Its findings go into the log every epoch.
 */
public final class CollapseMonitor {
  static final Set<String> PARAMETER_FREE = Set.of("skip_connect", "max_pool_3x3", "avg_pool_3x3", "none");
  /** P-DARTS limits normal cells to two skip connections; more is the collapse signature. */
  static final int MAX_SKIPS = 2;

  private CollapseMonitor() {}

  /**
   * Counts over the normal-type cells (those that keep the resolution: {@code normal}, or
   * PV-NAS' {@code s_normal} and {@code t_normal}): {skip connections, parameter-free edges, all edges}.
   */
  public static int[] normalCellCounts(Genotype g) {
    int[] total = new int[3];
    for (String type : normalTypes(g)) {
      int[] c = counts(g.cells().get(type));
      for (int i = 0; i < 3; i++) {
        total[i] += c[i];
      }
    }
    return total;
  }

  private static List<String> normalTypes(Genotype g) {
    return SearchSpace.named(g.space()).cellTypes().stream().filter(t -> !t.reduction())
        .map(SearchSpace.CellType::name).filter(g.cells()::containsKey).toList();
  }

  private static int[] counts(CellGenotype cell) {
    int skips = 0;
    int free = 0;
    List<GenotypeEdge> edges = cell.flatEdges();
    for (GenotypeEdge e : edges) {
      skips += e.op().equals("skip_connect") ? 1 : 0;
      free += PARAMETER_FREE.contains(e.op()) ? 1 : 0;
    }
    return new int[] {skips, free, edges.size()};
  }

  /** Warnings for the current genotype (empty when it looks healthy). */
  public static List<String> warnings(Genotype g) {
    List<String> out = new ArrayList<>();
    List<String> types = normalTypes(g);
    for (String type : types) {
      int[] c = counts(g.cells().get(type));
      String cell = types.size() == 1 && type.equals("normal") ? "normal-cell" : type + "-cell";
      if (c[0] > MAX_SKIPS) {
        out.add(String.format(Locale.ROOT, "possible collapse: %d of %d %s edges are skip_connect (more than %d"
            + " is the known DARTS failure mode; consider fewer epochs, darts2, or a different seed)", c[0], c[2], cell,
            MAX_SKIPS));
      } else if (c[2] > 0 && c[1] * 2 > c[2]) {
        out.add(String.format(Locale.ROOT, "possible collapse: %d of %d %s edges are parameter-free", c[1], c[2],
            cell));
      }
    }
    SearchSpace space = SearchSpace.named(g.space());
    for (var e : g.cells().entrySet()) {
      // only NAS-Bench-201 cells can keep none edges, and with them lose every path from their input
      boolean reads = e.getValue().liveStates(space.inputStates()).stream().anyMatch(st -> st < space.inputStates());
      if (!reads) {
        String cell = e.getKey().equals("cell") ? "cell" : e.getKey() + " cell";
        out.add("collapse: no path of edges other than none leads from the " + cell + "'s input to its output, so "
            + "the derived network's output does not depend on its input (" + g.describe() + ")");
      }
    }
    return out;
  }
}
