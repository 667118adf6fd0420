package dev.nas.serve.model;

import dev.nas.serve.protocol.DataType;
import java.util.Arrays;

/**
 * A model input or output as its metadata describes it.
 *
 * @param shape the dimensions, {@code -1} for a dynamic one
 */
public record TensorSpec(String name, DataType datatype, long[] shape) {
  public TensorSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Whether dimension 0 exists and is dynamic, so requests can be concatenated along it. */
  public boolean dynamicBatch() {
    return shape.length > 0 && shape[0] < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && t.name.equals(name) && t.datatype == datatype && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + datatype.hashCode()) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + datatype + " " + Arrays.toString(shape);
  }
}
