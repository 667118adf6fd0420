package dev.nas.search.supernet;

import ai.djl.ndarray.NDArray;
import dev.nas.network.TensorNames;
import dev.nas.djl.Parameters;
import dev.nas.ops.SearchSpace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DARTS mixing: weights {@code softmax(alpha_e)} over all operations of an edge. The {@code none}
 * operation contributes zero, so it is never computed, though its weight still takes part in the
 * softmax.
 */
public final class SoftmaxMixing implements Mixing {
  private final SearchSpace space;
  private final Map<String, int[]> computed = new LinkedHashMap<>();

  public SoftmaxMixing(SearchSpace space) {
    this.space = space;
    for (SearchSpace.CellType t : space.cellTypes()) {
      computed.put(t.name(), space.keepableOps(t.name()));
    }
  }


  @Override
  public Map<String, int[]> parameterShapes(SearchSpace s) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (SearchSpace.CellType t : s.cellTypes()) {
      out.put(TensorNames.alpha(t.name()), new int[] {s.edgesPerCell(), t.ops().size()});
    }
    return out;
  }

  @Override
  public NDArray weights(String cellType, Parameters params, NDArray like) {
    NDArray w = params.get(TensorNames.alpha(cellType)).softmax(1);
    w.attach(like.getManager()); // per-step value: keep it out of the parameters' manager
    return w;
  }

  @Override
  public int[] activeOps(String cellType, int edge) {
    return computed.get(cellType);
  }

  public SearchSpace space() {
    return space;
  }
}
