package dev.nas.search.supernet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.ops.SearchSpace;
import dev.nas.derive.TensorNames;
import dev.nas.djl.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PC-DARTS' edge normalisation (Xu et al. 2020, Section 3.3): one learned weight γ per edge of a
 * cell type, and a node sums its inputs weighted by the softmax of γ over that node's incoming
 * edges. With partial channels an edge's output changes from one sampled channel subset to the
 * next; the edge weights are shared by all channels and so stabilise which inputs a node keeps.
 * They enter the genotype rule as PC-DARTS does: an edge's operation weights are multiplied by its
 * edge weight before a node picks its strongest inputs.
 *
 * <p>An edge whose node an SDAS decision has fixed takes weight 1 ({@code fixed}), as SDAS' eq. 1
 * computes a decided node's kept inputs unweighted.
 */
public final class EdgeNormalization {
  private final SearchSpace space;
  /** Per node, an (edges × edges) host matrix that sums the exponentials of a node's incoming edges. */
  private final float[] sameNode;
  /** {@link #sameNode} on the device, made once with the parameters (not per forward pass). */
  private NDArray sameNodeArray;

  public EdgeNormalization(SearchSpace space) {
    this.space = space;
    int edges = space.edgesPerCell();
    this.sameNode = new float[edges * edges];
    for (int node = 0; node < space.intermediateNodes(); node++) {
      for (int a = 0; a < space.inputStates() + node; a++) {
        for (int b = 0; b < space.inputStates() + node; b++) {
          sameNode[space.edgeIndex(node, a) * edges + space.edgeIndex(node, b)] = 1f;
        }
      }
    }
  }

  /** The tensors it learns: γ (one per edge) per cell type. */
  public Map<String, int[]> parameterShapes() {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (SearchSpace.CellType t : space.cellTypes()) {
      out.put(TensorNames.edgeNorm(t.name()), new int[] {space.edgesPerCell()});
    }
    return out;
  }

  /**
   * Edge weights (one per edge) for {@code cellType}: softmax of γ over each node's incoming edges,
   * 1 where {@code fixed} is set (null: none fixed); attached to {@code like}'s manager.
   */
  public NDArray weights(String cellType, Parameters params, NDArray like, float[] fixed) {
    NDManager m = like.getManager();
    int edges = space.edgesPerCell();
    NDArray g = params.get(TensorNames.edgeNorm(cellType));
    // results of an op on a parameter join the parameters' manager: attach each to the step's.
    // One maximum for all nodes keeps exp finite; the per-node softmax is unchanged by it.
    NDArray max = g.max().stopGradient();
    max.attach(m);
    NDArray shifted = g.sub(max);
    shifted.attach(m);
    NDArray e = shifted.exp();
    NDArray sums = e.reshape(1, edges).matMul(sameNode(params, e.getDataType())).reshape(edges);
    NDArray w = e.div(sums);
    if (fixed == null) {
      return w;
    }
    NDArray f = m.create(fixed, new Shape(edges)).toType(w.getDataType(), false);
    return w.mul(f.neg().add(1)).add(f);
  }

  private NDArray sameNode(Parameters params, DataType dtype) {
    if (sameNodeArray == null || sameNodeArray.getDataType() != dtype) {
      int edges = space.edgesPerCell();
      sameNodeArray = params.manager().create(sameNode, new Shape(edges, edges)).toType(dtype, false);
    }
    return sameNodeArray;
  }

  /** Host copy of {@link #weights}. */
  public float[] hostWeights(String cellType, Parameters params, float[] fixed) {
    try (NDManager scope = params.manager().newSubManager()) {
      NDArray like = scope.zeros(new Shape(1));
      return weights(cellType, params, like, fixed).toType(DataType.FLOAT32, false).toFloatArray();
    }
  }
}
