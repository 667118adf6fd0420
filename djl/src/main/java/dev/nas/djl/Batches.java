package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.nas.core.graph.FeatureShape;
import dev.nas.data.Augmentation;
import dev.nas.data.ImageDataset;
import dev.nas.data.MultiCrop;
import dev.nas.djl.Batch;
import java.util.SplittableRandom;

/** Assembles device batches from an in-memory dataset, reusing one host buffer. */
public final class Batches {
  private final ImageDataset data;
  private final FeatureShape shape;
  private final float[] images;
  private final int[] labels;
  private final DataType dtype;

  public Batches(ImageDataset data, int maxBatch, DataType dtype) {
    NativeRuntime.init();
    this.data = data;
    this.shape = data.shape();
    this.images = new float[(int) (maxBatch * shape.numel())];
    this.labels = new int[maxBatch];
    this.dtype = dtype;
  }

  /**
   * The samples {@code order[from .. from+count)} as a batch in {@code manager}, augmented with
   * {@code aug} driven by {@code rng} (ignored when {@code aug} is none).
   */
  public Batch get(NDManager manager, int[] order, int from, int count, Augmentation aug, SplittableRandom rng) {
    data.fillBatch(order, from, count, images, labels);
    if (aug != null && !aug.isNone()) {
      aug.apply(images, count, shape, rng);
    }
    return onDevice(manager, count);
  }

  /** The samples {@code order[from .. from+count)} as view {@code view} of {@code crops}, a batch in {@code manager}. */
  public Batch view(NDManager manager, int[] order, int from, int count, MultiCrop crops, int view) {
    data.fillBatch(order, from, count, images, labels);
    crops.apply(images, count, shape, view);
    return onDevice(manager, count);
  }

  private Batch onDevice(NDManager manager, int count) {
    NDArray x = manager.create(java.nio.FloatBuffer.wrap(images, 0, (int) (count * shape.numel())),
        new Shape(shape.withBatch(count)));
    if (dtype != DataType.FLOAT32) {
      x = x.toType(dtype, false);
    }
    int[] l = java.util.Arrays.copyOf(labels, count);
    long[] ll = new long[count];
    for (int i = 0; i < count; i++) {
      ll[i] = l[i];
    }
    return new Batch(x, manager.create(ll), l);
  }
}
