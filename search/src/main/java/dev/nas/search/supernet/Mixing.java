package dev.nas.search.supernet;

import ai.djl.ndarray.NDArray;
import dev.nas.djl.Parameters;

/**
 * How a supernet edge combines its candidate operations: the per-op weights of each edge (a
 * differentiable function of the architecture parameters) and which operations are computed at
 * all. DARTS computes every operation with softmax weights; scheduled methods narrow the set.
 */
public interface Mixing {
  /** Architecture tensors (name → shape, e.g. edges × ops for α) this mixing learns; empty when it learns none. */
  java.util.Map<String, int[]> parameterShapes(dev.nas.core.ops.SearchSpace space);

  /** An (edges × ops) array of mixing weights for {@code cellType}, attached to {@code like}'s manager. */
  NDArray weights(String cellType, Parameters params, NDArray like);

  /**
   * The standard deviation of the Gaussian the architecture tensors start from: DARTS' 1e-3 (its
   * {@code 1e-3 * randn}); 0 starts them all at 0.
   */
  default double initialScale() {
    return 1e-3;
  }

  /** Indices (into the space's ops) computed on {@code edge}; empty when the edge is dropped. */
  int[] activeOps(String cellType, int edge);

  /**
   * Weights (one per edge) that multiply each edge's whole output, for {@code cellType}, attached
   * to {@code like}'s manager; empty when edges are not weighted (PC-DARTS' edge normalisation,
   * {@link EdgeNormalization}, weights them).
   */
  default java.util.Optional<NDArray> edgeWeights(String cellType, Parameters params, NDArray like) {
    return java.util.Optional.empty();
  }
}
