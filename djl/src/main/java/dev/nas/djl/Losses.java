package dev.nas.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Classification loss and accuracy. */
public final class Losses {
  private Losses() {}

  /**
   * Mean softmax cross-entropy against integer labels, with optional label smoothing
   * {@code eps} (targets {@code (1 - eps) * onehot + eps / K}).
   */
  public static NDArray crossEntropy(NDArray logits, NDArray labels, double smoothing) {
    long classes = logits.getShape().get(1);
    NDArray logp = logits.logSoftmax(1);
    NDArray target = labels.oneHot((int) classes).toType(logits.getDataType(), false);
    if (smoothing > 0) {
      target = target.mul(1 - smoothing).add(smoothing / classes);
    }
    return logp.mul(target).sum(new int[] {1}).mean().neg();
  }

  /** Number of samples whose true label is among the {@code k} highest logits. */
  public static int correctTopK(NDArray logits, int[] labels, int k) {
    float[] v = logits.toType(DataType.FLOAT32, false).toFloatArray();
    int classes = (int) logits.getShape().get(1);
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      float truth = v[i * classes + labels[i]];
      int higher = 0;
      for (int c = 0; c < classes; c++) {
        float x = v[i * classes + c];
        // ties count against the prediction so a constant output never scores
        if (x > truth || (x == truth && c < labels[i])) {
          higher++;
        }
      }
      if (higher < k) {
        correct++;
      }
    }
    return correct;
  }
}
