package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.nas.data.ImageDataset;
import dev.nas.djl.Batch;
import java.util.function.Function;
import java.util.stream.IntStream;

/** Loss and top-1/top-5 accuracy of a network on a whole dataset, in inference mode. */
public record Evaluation(double loss, double top1, double top5, int samples) {
  public static Evaluation of(Function<NDArray, NDArray> forward, ImageDataset data, int batch, NDManager parent,
      DataType dtype) {
    int[] order = IntStream.range(0, data.size()).toArray();
    Batches batches = new Batches(data, batch, dtype);
    double loss = 0;
    long c1 = 0;
    long c5 = 0;
    for (int from = 0; from < data.size(); from += batch) {
      int n = Math.min(batch, data.size() - from);
      try (NDManager scope = parent.newSubManager()) {
        Batch b = batches.get(scope, order, from, n, null, null);
        NDArray logits = forward.apply(b.x());
        loss += Tensors.scalar(Losses.crossEntropy(logits, b.y(), 0)) * n;
        c1 += Losses.correctTopK(logits, b.labels(), 1);
        c5 += Losses.correctTopK(logits, b.labels(), Math.min(5, (int) logits.getShape().get(1)));
      }
    }
    int s = Math.max(1, data.size());
    return new Evaluation(loss / s, (double) c1 / s, (double) c5 / s, data.size());
  }
}
