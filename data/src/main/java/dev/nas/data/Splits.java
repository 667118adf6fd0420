package dev.nas.data;

import java.util.SplittableRandom;

/**
 * Deterministic, stratified splits: every class contributes to the held-out part in proportion to
 * its size (largest remainders settle the rounding), and which samples go is drawn from the seed.
 * The same (labels, count, seed) always gives the same split.
 */
public final class Splits {
  private Splits() {}

  /**
   * Splits {@code data} for search: {@code validationFraction} of it (rounded to a whole sample)
   * becomes the validation part, the rest the training part, both in the original order.
   */
  public static TrainValidation trainValidation(ImageDataset data, double validationFraction, long seed) {
    IndexSplit split = byFraction(data.labels(), data.numClasses(), validationFraction, seed);
    return new TrainValidation(data.subset(split.kept()), data.subset(split.heldOut()));
  }

  /** Holds out {@code round(labels.length × fraction)} samples; see {@link #byCount}. */
  public static IndexSplit byFraction(int[] labels, int numClasses, double fraction, long seed) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("split fraction must be in [0, 1], got " + fraction);
    }
    return byCount(labels, numClasses, (int) Math.round(labels.length * fraction), seed);
  }

  /** Holds out exactly {@code heldOutCount} samples, stratified by label. */
  public static IndexSplit byCount(int[] labels, int numClasses, int heldOutCount, long seed) {
    int n = labels.length;
    if (heldOutCount < 0 || heldOutCount > n) {
      throw new IllegalArgumentException("cannot hold out " + heldOutCount + " of " + n + " samples");
    }
    int[] counts = new int[numClasses];
    for (int l : labels) {
      if (l < 0 || l >= numClasses) {
        throw new IllegalArgumentException("label " + l + " is not below " + numClasses);
      }
      counts[l]++;
    }
    int[] quota = quotas(counts, n, heldOutCount);

    // Indices grouped by class (ascending inside each group), then each group shuffled on its own
    // sub-stream so one class's draw does not shift another's.
    int[] start = new int[numClasses + 1];
    for (int c = 0; c < numClasses; c++) {
      start[c + 1] = start[c] + counts[c];
    }
    int[] grouped = new int[n];
    int[] next = start.clone();
    for (int i = 0; i < n; i++) {
      grouped[next[labels[i]]++] = i;
    }
    boolean[] held = new boolean[n];
    for (int c = 0; c < numClasses; c++) {
      SplittableRandom rng = Seeds.random(seed, c);
      Seeds.shuffle(grouped, start[c], start[c + 1], rng);
      for (int k = 0; k < quota[c]; k++) {
        held[grouped[start[c] + k]] = true;
      }
    }
    int[] kept = new int[n - heldOutCount];
    int[] heldOut = new int[heldOutCount];
    int a = 0;
    int b = 0;
    for (int i = 0; i < n; i++) {
      if (held[i]) {
        heldOut[b++] = i;
      } else {
        kept[a++] = i;
      }
    }
    return new IndexSplit(kept, heldOut);
  }

  // Largest-remainder apportionment of `total` over classes in proportion to their counts; ties go
  // to the lower class index. Integer arithmetic only.
  private static int[] quotas(int[] counts, int n, int total) {
    int k = counts.length;
    int[] quota = new int[k];
    long[] remainder = new long[k];
    int assigned = 0;
    for (int c = 0; c < k; c++) {
      long exact = (long) total * counts[c];
      quota[c] = n == 0 ? 0 : (int) (exact / n);
      remainder[c] = n == 0 ? 0 : exact % n;
      assigned += quota[c];
    }
    for (int left = total - assigned; left > 0; left--) {
      int best = -1;
      for (int c = 0; c < k; c++) {
        if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
          best = c;
        }
      }
      quota[best]++;
      remainder[best] = -1;
    }
    return quota;
  }
}
