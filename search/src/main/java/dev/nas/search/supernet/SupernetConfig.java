package dev.nas.search.supernet;

import dev.nas.graph.FeatureShape;
import dev.nas.network.Preprocessing;
import dev.nas.ops.SearchSpace;

/**
 * The supernet's shape: search space, initial width C, number of cells, classes and input. Cells
 * are wired like the CIFAR macro (3×3 stem of width 3C, reductions at 1/3 and 2/3 of the depth).
 */
public record SupernetConfig(SearchSpace space, int channels, int layers, int classes, FeatureShape input,
    Preprocessing preprocessing) {
  public SupernetConfig {
    if (channels <= 0 || layers <= 0 || classes <= 1) {
      throw new IllegalArgumentException("supernet needs channels > 0, layers > 0, classes > 1");
    }
  }
}
