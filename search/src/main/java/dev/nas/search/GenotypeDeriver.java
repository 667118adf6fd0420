package dev.nas.search;

import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.ops.SearchSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The DARTS derivation rule: for each intermediate node keep the {@code k} incoming edges whose
 * strongest non-{@code none} operation weighs most, each with that operation. In cells that keep
 * every edge (NAS-Bench-201) each edge keeps its heaviest operation, {@code none} included, as
 * NAS-Bench-201's own DARTS derivation does (the arg-max over all operations of the edge).
 */
public final class GenotypeDeriver {
  private GenotypeDeriver() {}

  /** @param weights per cell type, the mixing weights (edges × ops, row-major) */
  public static Genotype derive(SearchSpace space, Map<String, float[]> weights) {
    Map<String, CellGenotype> cells = new LinkedHashMap<>();
    for (SearchSpace.CellType t : space.cellTypes()) {
      cells.put(t.name(), deriveCell(space, t.ops(), weights.get(t.name())));
    }
    return new Genotype(space.name(), cells);
  }

  static CellGenotype deriveCell(SearchSpace space, List<String> names, float[] w) {
    int ops = names.size();
    int none = space.keepsEveryEdge() ? -1 : names.indexOf("none");
    List<List<GenotypeEdge>> nodes = new ArrayList<>();
    for (int node = 0; node < space.intermediateNodes(); node++) {
      int n = node;
      int preds = space.inputStates() + node;
      List<Integer> order = IntStream.range(0, preds).boxed()
          .sorted(Comparator.comparingDouble((Integer j) -> -bestWeight(w, space.edgeIndex(n, j), ops, none))
              .thenComparingInt(j -> j))
          .toList();
      List<GenotypeEdge> edges = new ArrayList<>();
      // a dense cell lists every edge by input, as NAS-Bench-201's strings do
      List<Integer> kept = space.keepsEveryEdge() ? IntStream.range(0, preds).boxed().toList()
          : order.subList(0, Math.min(space.inputsOf(node), preds));
      for (int j : kept) {
        edges.add(new GenotypeEdge(names.get(bestOp(w, space.edgeIndex(node, j), ops, none)), j));
      }
      nodes.add(edges);
    }
    return new CellGenotype(nodes, space.outputStates());
  }

  private static double bestWeight(float[] w, int edge, int ops, int none) {
    return w[edge * ops + bestOp(w, edge, ops, none)];
  }

  private static int bestOp(float[] w, int edge, int ops, int none) {
    int best = -1;
    for (int o = 0; o < ops; o++) {
      if (o != none && (best < 0 || w[edge * ops + o] > w[edge * ops + best])) {
        best = o;
      }
    }
    return best;
  }
}
