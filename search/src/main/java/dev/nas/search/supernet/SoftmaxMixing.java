package dev.nas.search.supernet;

import ai.djl.ndarray.NDArray;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DARTS mixing: weights {@code softmax(alpha_e)} over all operations of an edge. The {@code none}
 * operation contributes zero, so it is never computed, though its weight still takes part in the
 * softmax. With PC-DARTS' edge normalisation ({@link EdgeNormalization}) a node weights its
 * incoming edges by the softmax of their edge weights γ.
 */
public final class SoftmaxMixing implements Mixing {
  private final SearchSpace space;
  private final Map<String, int[]> computed = new LinkedHashMap<>();
  private final EdgeNormalization edges;

  /** DARTS' mixing, edges unweighted. */
  public SoftmaxMixing(SearchSpace space) {
    this(space, false);
  }

  /** @param normalizeEdges whether a node weights its incoming edges (PC-DARTS' edge normalisation) */
  public SoftmaxMixing(SearchSpace space, boolean normalizeEdges) {
    this.space = space;
    this.edges = normalizeEdges ? new EdgeNormalization(space) : null;
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
    if (edges != null) {
      out.putAll(edges.parameterShapes());
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
  public java.util.Optional<NDArray> edgeWeights(String cellType, Parameters params, NDArray like) {
    return edges == null ? java.util.Optional.empty()
        : java.util.Optional.of(edges.weights(cellType, params, like, null));
  }

  @Override
  public int[] activeOps(String cellType, int edge) {
    return computed.get(cellType);
  }

  public SearchSpace space() {
    return space;
  }
}
