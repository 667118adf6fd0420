package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.nas.data.ClipAverage;
import dev.nas.data.ImageDataset;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Loss and top-1/top-5 accuracy of a network on a whole dataset, in inference mode. When the
 * dataset holds {@code views} consecutive clips per video ({@link dev.nas.data.DatasetPair#testViews()}),
 * the softmax scores of each video's clips are also averaged into a per-video top-1.
 *
 * @param top1 per sample (per clip)
 * @param videoTop1 per video, from the clip-averaged softmax scores; equals {@code top1} when
 *     {@code views} is 1
 * @param views samples per video (1 for images and single-clip sets)
 */
public record Evaluation(double loss, double top1, double top5, int samples, double videoTop1, int views) {
  /** An evaluation with one view per item. */
  public Evaluation(double loss, double top1, double top5, int samples) {
    this(loss, top1, top5, samples, top1, 1);
  }

  public static Evaluation of(Function<NDArray, NDArray> forward, ImageDataset data, int batch, NDManager parent,
      DataType dtype) {
    return of(forward, data, batch, parent, dtype, 1);
  }

  /** Evaluates {@code data}, whose consecutive groups of {@code views} samples are clips of one video. */
  public static Evaluation of(Function<NDArray, NDArray> forward, ImageDataset data, int batch, NDManager parent,
      DataType dtype, int views) {
    if (views < 1 || data.size() % views != 0) {
      throw new IllegalArgumentException(data.size() + " test samples do not form groups of " + views + " clips");
    }
    int[] order = IntStream.range(0, data.size()).toArray();
    Batches batches = new Batches(data, batch, dtype);
    float[][] scores = views > 1 ? new float[data.size()][] : null;
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
        if (scores != null) {
          int classes = (int) logits.getShape().get(1);
          float[] p = logits.softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
          for (int i = 0; i < n; i++) {
            scores[from + i] = java.util.Arrays.copyOfRange(p, i * classes, (i + 1) * classes);
          }
        }
      }
    }
    int s = Math.max(1, data.size());
    double top1 = (double) c1 / s;
    double video = scores == null ? top1 : ClipAverage.accuracy(scores, data, views);
    return new Evaluation(loss / s, top1, (double) c5 / s, data.size(), video, views);
  }

  /** Videos evaluated: samples / views. */
  public int videos() {
    return samples / views;
  }
}
