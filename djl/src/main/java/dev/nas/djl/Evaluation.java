package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.nas.data.ClipAverage;
import dev.nas.data.ImageDataset;
import dev.nas.data.MultiCrop;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Loss and top-1/top-5 accuracy of a network on a whole dataset, in inference mode. When the
 * dataset holds {@code views} consecutive clips per video ({@link dev.nas.data.DatasetPair#testViews()}),
 * the softmax scores of each video's clips are also averaged into a per-video top-1. Images can
 * be scored over several crops ({@link MultiCrop}): the softmax outputs of an image's crops are
 * averaged, and its loss is the cross-entropy of that average.
 *
 * @param top1 per sample (per clip; per image over its crops)
 * @param videoTop1 per video, from the clip-averaged softmax scores; equals {@code top1} when
 *     {@code views} is 1
 * @param views samples per video (1 for images and single-clip sets)
 * @param crops test-time crops averaged per image (1: the image as is)
 */
public record Evaluation(double loss, double top1, double top5, int samples, double videoTop1, int views, int crops) {
  /** An evaluation with one view per item. */
  public Evaluation(double loss, double top1, double top5, int samples) {
    this(loss, top1, top5, samples, top1, 1, 1);
  }

  public static Evaluation of(Function<NDArray, NDArray> forward, ImageDataset data, int batch, NDManager parent,
      DataType dtype) {
    return of(forward, data, batch, parent, dtype, 1);
  }

  /** Evaluates {@code data}, whose consecutive groups of {@code views} samples are clips of one video. */
  public static Evaluation of(Function<NDArray, NDArray> forward, ImageDataset data, int batch, NDManager parent,
      DataType dtype, int views) {
    return of(forward, data, batch, parent, dtype, views, MultiCrop.NONE);
  }

  /**
   * Evaluates {@code data} as {@link #of(Function, ImageDataset, int, NDManager, DataType, int)}
   * does, each sample scored over the views of {@code crops} (with one view, exactly as without).
   */
  public static Evaluation of(Function<NDArray, NDArray> forward, ImageDataset data, int batch, NDManager parent,
      DataType dtype, int views, MultiCrop crops) {
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
        if (crops.views() > 1) {
          Scored s = averaged(forward, batches, scope, order, from, n, crops);
          loss += s.loss();
          c1 += Losses.correctTopK(s.logMean(), s.labels(), 1);
          c5 += Losses.correctTopK(s.logMean(), s.labels(), Math.min(5, (int) s.logMean().getShape().get(1)));
          if (scores != null) {
            keep(s.logMean().exp(), scores, from, n);
          }
          continue;
        }
        Batch b = batches.get(scope, order, from, n, null, null);
        NDArray logits = forward.apply(b.x());
        loss += Tensors.scalar(Losses.crossEntropy(logits, b.y(), 0)) * n;
        c1 += Losses.correctTopK(logits, b.labels(), 1);
        c5 += Losses.correctTopK(logits, b.labels(), Math.min(5, (int) logits.getShape().get(1)));
        if (scores != null) {
          keep(logits.softmax(1), scores, from, n);
        }
      }
    }
    int s = Math.max(1, data.size());
    double top1 = (double) c1 / s;
    double video = scores == null ? top1 : ClipAverage.accuracy(scores, data, views);
    return new Evaluation(loss / s, top1, (double) c5 / s, data.size(), video, views, crops.views());
  }

  /** One batch scored over its crops: the log of the crop-averaged softmax, the labels and the summed loss. */
  private record Scored(NDArray logMean, int[] labels, double loss) {}

  private static Scored averaged(Function<NDArray, NDArray> forward, Batches batches, NDManager scope, int[] order,
      int from, int n, MultiCrop crops) {
    int v = crops.views();
    float[][] logp = new float[v][];
    int[] labels = null;
    int classes = 0;
    for (int k = 0; k < v; k++) {
      Batch b = batches.view(scope, order, from, n, crops, k);
      NDArray lp = forward.apply(b.x()).logSoftmax(1);
      classes = (int) lp.getShape().get(1);
      logp[k] = lp.toType(DataType.FLOAT32, false).toFloatArray();
      labels = b.labels();
    }
    // log((1/V)·Σ_k p_k), through the largest log-probability so that small ones do not underflow
    float[] logMean = new float[n * classes];
    double loss = 0;
    for (int j = 0; j < logMean.length; j++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        max = Math.max(max, logp[k][j]);
      }
      double sum = 0;
      for (int k = 0; k < v; k++) {
        sum += Math.exp(logp[k][j] - max);
      }
      logMean[j] = (float) (max + Math.log(sum / v));
    }
    for (int i = 0; i < n; i++) {
      loss -= logMean[i * classes + labels[i]];
    }
    return new Scored(scope.create(logMean, new ai.djl.ndarray.types.Shape(n, classes)), labels, loss);
  }

  /** Rows {@code from..from+n} of {@code scores}: the probabilities {@code p} (n × classes). */
  private static void keep(NDArray p, float[][] scores, int from, int n) {
    int classes = (int) p.getShape().get(1);
    float[] flat = p.toType(DataType.FLOAT32, false).toFloatArray();
    for (int i = 0; i < n; i++) {
      scores[from + i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
    }
  }

  /** Videos evaluated: samples / views. */
  public int videos() {
    return samples / views;
  }
}
