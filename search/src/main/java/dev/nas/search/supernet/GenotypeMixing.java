package dev.nas.search.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.genotype.CellGenotype;
import dev.nas.core.genotype.Genotype;
import dev.nas.core.genotype.GenotypeEdge;
import dev.nas.core.ops.SearchSpace;
import dev.nas.djl.Parameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discrete network of a genotype inside a supernet: every kept edge computes its operation
 * with weight 1, every other edge nothing. Run with the supernet's weights it is the derived
 * network evaluated with the search's weights (the "discrete mode" of SNAS and SDAS).
 */
public final class GenotypeMixing implements Mixing {
  private final SearchSpace space;
  private final Map<String, float[]> weights = new LinkedHashMap<>();
  private final Map<String, int[][]> active = new LinkedHashMap<>();

  public GenotypeMixing(SearchSpace space, Genotype genotype) {
    this.space = space;
    for (SearchSpace.CellType t : space.cellTypes()) {
      int ops = t.ops().size();
      CellGenotype cell = genotype.cell(t.name());
      float[] w = new float[space.edgesPerCell() * ops];
      int[][] act = new int[space.edgesPerCell()][0];
      List<List<GenotypeEdge>> nodes = cell.nodes();
      if (nodes.size() != space.intermediateNodes()) {
        throw new IllegalArgumentException("the " + t.name() + " cell has " + nodes.size() + " nodes; space "
            + space.name() + " has " + space.intermediateNodes());
      }
      for (int node = 0; node < nodes.size(); node++) {
        for (GenotypeEdge e : nodes.get(node)) {
          int edge = space.edgeIndex(node, e.input());
          int op = space.opIndex(t.name(), e.op());
          w[edge * ops + op] = 1f;
          act[edge] = new int[] {op};
        }
      }
      weights.put(t.name(), w);
      active.put(t.name(), act);
    }
  }

  @Override
  public Map<String, int[]> parameterShapes(SearchSpace s) {
    return Map.of();
  }

  @Override
  public NDArray weights(String cellType, Parameters params, NDArray like) {
    return like.getManager().create(weights.get(cellType), new Shape(space.edgesPerCell(), space.ops(cellType).size()))
        .toType(like.getDataType(), false);
  }

  @Override
  public int[] activeOps(String cellType, int edge) {
    return active.get(cellType)[edge];
  }
}
