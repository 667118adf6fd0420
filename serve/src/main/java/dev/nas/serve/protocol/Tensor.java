package dev.nas.serve.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named tensor: element type, shape and its elements in row-major order as little-endian bytes,
 * the layout of the binary tensor data extension, so tensors move between HTTP bodies, batches
 * and ONNX Runtime without conversion.
 */
public final class Tensor {
  private final String name;
  private final DataType datatype;
  private final long[] shape;
  private final ByteBuffer data;

  /**
   * @param data the elements from its position to its limit; not copied, so the caller must not
   *     change it afterwards
   * @throws IllegalArgumentException if the byte count does not fit the shape and type
   */
  public Tensor(String name, DataType datatype, long[] shape, ByteBuffer data) {
    this.name = name;
    this.datatype = datatype;
    this.shape = shape.clone();
    this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    long bytes = Math.multiplyExact(elementCount(shape), datatype.size());
    if (bytes != this.data.remaining()) {
      throw new IllegalArgumentException("tensor '" + name + "' " + datatype + " " + Arrays.toString(shape) + " needs "
          + bytes + " bytes, got " + this.data.remaining());
    }
  }

  /**
   * The number of elements of a tensor of {@code shape}: the product of its dimensions, 1 for a
   * scalar.
   *
   * @throws ArithmeticException if the product overflows a long
   * @throws IllegalArgumentException if a dimension is negative
   */
  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public String name() {
    return name;
  }

  public DataType datatype() {
    return datatype;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** Dimension {@code i} of the shape. */
  public long dim(int i) {
    return shape[i];
  }

  public int rank() {
    return shape.length;
  }

  public int byteSize() {
    return data.remaining();
  }

  /** A read view of the elements, little-endian, positioned at the first byte. */
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public String toString() {
    return name + " " + datatype + " " + Arrays.toString(shape);
  }
}
