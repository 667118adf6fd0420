package dev.nas.data;

/**
 * Video-level scores from clip-level ones: a test set of {@code views} consecutive clips per
 * video ({@link DatasetPair#testViews()}) is scored per clip, then each video's clip scores
 * (logits or probabilities) are averaged, as SDAS and PV-NAS evaluate.
 */
public final class ClipAverage {
  private ClipAverage() {}

  /** Row {@code v} of the result is the mean of rows {@code [v·views, (v+1)·views)} of {@code clipScores}. */
  public static float[][] average(float[][] clipScores, int views) {
    checkGroups(clipScores.length, views);
    float[][] out = new float[clipScores.length / views][];
    for (int v = 0; v < out.length; v++) {
      float[] sum = new float[clipScores[v * views].length];
      for (int k = 0; k < views; k++) {
        float[] row = clipScores[v * views + k];
        if (row.length != sum.length) {
          throw new IllegalArgumentException("clip " + (v * views + k) + " has " + row.length + " scores, not "
              + sum.length);
        }
        for (int j = 0; j < sum.length; j++) {
          sum[j] += row[j];
        }
      }
      for (int j = 0; j < sum.length; j++) {
        sum[j] /= views;
      }
      out[v] = sum;
    }
    return out;
  }

  /** One label per video: that of its first clip (all clips of a video share it). */
  public static int[] videoLabels(ImageDataset test, int views) {
    checkGroups(test.size(), views);
    int[] out = new int[test.size() / views];
    for (int v = 0; v < out.length; v++) {
      out[v] = test.label(v * views);
    }
    return out;
  }

  /** Top-1 accuracy of averaged clip scores against {@link #videoLabels}. */
  public static double accuracy(float[][] clipScores, ImageDataset test, int views) {
    float[][] scores = average(clipScores, views);
    int[] labels = videoLabels(test, views);
    if (labels.length != scores.length) {
      throw new IllegalArgumentException(clipScores.length + " clip scores for " + test.size() + " test clips");
    }
    int correct = 0;
    for (int v = 0; v < scores.length; v++) {
      int best = 0;
      for (int j = 1; j < scores[v].length; j++) {
        if (scores[v][j] > scores[v][best]) {
          best = j;
        }
      }
      if (best == labels[v]) {
        correct++;
      }
    }
    return scores.length == 0 ? 0 : (double) correct / scores.length;
  }

  private static void checkGroups(int clips, int views) {
    if (views < 1 || clips % views != 0) {
      throw new IllegalArgumentException(clips + " clips do not form groups of " + views);
    }
  }
}
