package dev.nas.derive.cost;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.ops.SearchSpace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One cost (MACs, parameters or latency) of the derived networks of a space, in the form the
 * search needs: the cost every network has ({@code fixed}) and, per cell type, an (edges × ops)
 * matrix whose entry is the cost operation o adds when it is kept on edge e, summed over all cells
 * of that type. A genotype's cost is {@code fixed} plus the entries of the edges it keeps.
 *
 * @param metric what is counted ({@code macs}, {@code params}, {@code latency_ms})
 * @param perType row-major (edges × ops of the type) matrices
 */
public record CostTable(String metric, SearchSpace space, double fixed, Map<String, double[]> perType) {
  public CostTable {
    perType = Map.copyOf(perType);
    for (SearchSpace.CellType t : space.cellTypes()) {
      double[] m = perType.get(t.name());
      if (m == null || m.length != space.edgesPerCell() * t.ops().size()) {
        throw new IllegalArgumentException("cost table of " + metric + " has no (edges × ops) matrix for the "
            + t.name() + " cells of space " + space.name());
      }
    }
  }

  /** The entry of operation index {@code op} on {@code edge} of cell type {@code type}. */
  public double entry(String type, int edge, int op) {
    return perType.get(type)[edge * space.ops(type).size() + op];
  }

  /** The cost of the network of genotype {@code g}. */
  public double of(Genotype g) {
    double total = fixed;
    for (SearchSpace.CellType t : space.cellTypes()) {
      CellGenotype cell = g.cell(t.name());
      java.util.Set<Integer> live = cell.liveStates(space.inputStates());
      for (int node = 0; node < cell.nodes().size(); node++) {
        if (!live.contains(space.inputStates() + node)) {
          continue; // not computed by the derived network
        }
        for (GenotypeEdge e : cell.nodes().get(node)) {
          total += entry(t.name(), space.edgeIndex(node, e.input()), space.opIndex(t.name(), e.op()));
        }
      }
    }
    return total;
  }

  /**
   * The cost of the cheapest network of the space: per node the {@code inputsOf(node)} inputs whose
   * cheapest keepable operation costs least. The nodes' costs are independent, so this is exact.
   */
  public double cheapest() {
    double total = fixed;
    for (SearchSpace.CellType t : space.cellTypes()) {
      int[] keepable = space.keepableOps(t.name());
      for (int node = 0; node < space.intermediateNodes(); node++) {
        int preds = space.inputStates() + node;
        double[] best = new double[preds];
        for (int j = 0; j < preds; j++) {
          best[j] = Double.POSITIVE_INFINITY;
          for (int o : keepable) {
            best[j] = Math.min(best[j], entry(t.name(), space.edgeIndex(node, j), o));
          }
        }
        java.util.Arrays.sort(best);
        for (int k = 0; k < Math.min(space.inputsOf(node), preds); k++) {
          total += best[k];
        }
      }
    }
    return total;
  }

  /** This table with every network's cost mapped to {@code scale · cost + offset} (a calibration). */
  public CostTable corrected(double scale, double offset) {
    Map<String, double[]> m = new LinkedHashMap<>();
    perType.forEach((k, v) -> {
      double[] c = v.clone();
      for (int i = 0; i < c.length; i++) {
        c[i] *= scale;
      }
      m.put(k, c);
    });
    return new CostTable(metric, space, scale * fixed + offset, m);
  }

  /** The cell types, in the space's order. */
  public List<String> cellTypes() {
    return space.cellTypeNames();
  }
}
