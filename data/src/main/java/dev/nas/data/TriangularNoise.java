package dev.nas.data;

import java.util.SplittableRandom;

/**
 * Pixel noise for the synthetic data sets: the sum of two 16-bit uniforms minus 65535, a
 * triangular distribution on [-65535, 65535]. Integer draws only, so no platform-dependent
 * rounding of transcendental functions; each {@code nextLong} feeds two values.
 */
final class TriangularNoise {
  private final SplittableRandom rng;
  private long bits;
  private int left;

  TriangularNoise(SplittableRandom rng) {
    this.rng = rng;
  }

  /** The next value; its standard deviation is 65536 / √6. */
  int next() {
    if (left == 0) {
      bits = rng.nextLong();
      left = 2;
    }
    int u1 = (int) (bits & 0xffff);
    int u2 = (int) ((bits >>> 16) & 0xffff);
    bits >>>= 32;
    left--;
    return u1 + u2 - 65535;
  }
}
