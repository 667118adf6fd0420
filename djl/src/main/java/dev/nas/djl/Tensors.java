package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import dev.nas.core.io.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Moves tensors between DJL arrays and host {@link Tensor}s. */
public final class Tensors {
  private Tensors() {}

  public static Tensor toHost(NDArray a) {
    List<Integer> shape = new ArrayList<>();
    for (long d : a.getShape().getShape()) {
      shape.add((int) d);
    }
    float[] data;
    if (a.getDataType() == DataType.FLOAT32) {
      data = a.toFloatArray();
    } else {
      try (NDArray f = a.toType(DataType.FLOAT32, true)) {
        data = f.toFloatArray();
      }
    }
    return new Tensor(shape, data);
  }

  /** The value of a one-element array, whatever its type. */
  public static double scalar(NDArray a) {
    return a.toArray()[0].doubleValue();
  }

  /** Copies host values into an existing array in place (keeps its identity and gradient flag). */
  public static void copyInto(Tensor t, NDArray target, String name) {
    long[] shape = target.getShape().getShape();
    if (!java.util.Arrays.equals(shape, t.longShape())) {
      throw new IllegalArgumentException("tensor " + name + " has shape " + t.shape() + " but the network expects "
          + target.getShape());
    }
    try (NDArray src = target.getManager().create(t.data(), target.getShape())) {
      NDArray typed = src.toType(target.getDataType(), false);
      // an indexed copy, not NDArray.set(Buffer): DJL's buffer copy enters libtorch's deprecated
      // AutoNonVariableTypeMode, whose warning no log level silences; without autograd, since
      // an in-place write into a leaf that requires a gradient is refused otherwise
      boolean grad = JniUtils.isGradMode();
      JniUtils.setGradMode(false);
      try {
        target.set(new NDIndex("..."), typed);
      } finally {
        JniUtils.setGradMode(grad);
      }
      if (typed != src) {
        typed.close();
      }
    }
  }
}
