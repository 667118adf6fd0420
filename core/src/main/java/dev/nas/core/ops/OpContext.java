package dev.nas.core.ops;

import java.util.List;

/**
 * Where an operation is placed: its channel count, its stride per spatial axis (all ones, or
 * twos on the input edges of a reduction cell) and whether its batch norms learn scale/shift.
 */
public record OpContext(int channels, List<Integer> stride, boolean affine) {
  public OpContext {
    stride = List.copyOf(stride);
  }

  public int rank() {
    return stride.size();
  }

  public boolean reduces() {
    return stride.stream().anyMatch(s -> s != 1);
  }
}
