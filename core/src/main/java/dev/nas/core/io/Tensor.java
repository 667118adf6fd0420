package dev.nas.core.io;

import java.util.Arrays;
import java.util.List;

/** A dense float32 tensor in row-major order; the exchange type between modules. */
public record Tensor(List<Integer> shape, float[] data) {
  public Tensor {
    shape = List.copyOf(shape);
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("tensor of shape " + shape + " needs " + n + " values, got " + data.length);
    }
  }

  public long[] longShape() {
    return shape.stream().mapToLong(Integer::longValue).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && t.shape.equals(shape) && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + shape;
  }
}
