package dev.nas.data;

import java.util.SplittableRandom;

/**
 * Seed derivation and bounded draws that depend only on 64-bit integer arithmetic, so every
 * machine and JDK produces the same streams. Child seeds are derived from (parent, index) rather
 * than drawn in sequence, so one stream never depends on how much of another was consumed.
 */
public final class Seeds {
  private Seeds() {}

  /** A well-mixed seed for sub-stream {@code stream} of {@code seed}. */
  public static long mix(long seed, long stream) {
    return mix64(seed ^ mix64(stream + 0x9E3779B97F4A7C15L));
  }

  /** A generator for sub-stream {@code stream} of {@code seed}. */
  public static SplittableRandom random(long seed, long stream) {
    return new SplittableRandom(mix(seed, stream));
  }

  /**
   * A uniform int in {@code [0, bound)}. Uses the top 32 bits of one {@code nextLong} (bias below
   * bound / 2^32) instead of {@code nextInt(bound)}, whose rejection loop is a JDK detail.
   */
  public static int below(SplittableRandom rng, int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    return (int) (((rng.nextLong() >>> 32) * bound) >>> 32);
  }

  /** A uniform double in {@code [lo, hi)}. */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * unit(rng);
  }

  /** A uniform double in {@code [0, 1)} from the top 53 bits of one {@code nextLong}. */
  static double unit(SplittableRandom rng) {
    return (rng.nextLong() >>> 11) * 0x1.0p-53;
  }

  /** In-place Fisher-Yates shuffle of {@code a[from, to)}. */
  static void shuffle(int[] a, int from, int to, SplittableRandom rng) {
    for (int i = to - 1; i > from; i--) {
      int j = from + below(rng, i - from + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  // Stafford's "Mix13" finaliser, the one SplitMix64 uses.
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
