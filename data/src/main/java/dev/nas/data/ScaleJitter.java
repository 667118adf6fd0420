package dev.nas.data;

import java.util.SplittableRandom;

/**
 * Scale jitter of training clips (SlowFast's and PV-NAS' "scale jitter [MIN, MAX]"): each clip's
 * frames are resized so their short side is an integer drawn uniformly from {@code [min, max]}
 * before the random crop; test clips are resized to {@code min}.
 *
 * @param min smallest short side, at least 1
 * @param max largest short side, at least {@code min}
 */
public record ScaleJitter(int min, int max) {
  public ScaleJitter {
    if (min < 1 || max < min) {
      throw new DatasetException("scale jitter needs 1 <= MIN <= MAX, got " + min + "," + max);
    }
  }

  /** One short side from {@code [min, max]}, one draw of {@code rng}. */
  int draw(SplittableRandom rng) {
    return min + Seeds.below(rng, max - min + 1);
  }

  /** Fails with one message when a {@code crop×crop} crop does not fit the smallest short side. */
  public void checkCrop(int crop) {
    if (min < crop) {
      throw new DatasetException("scale jitter " + this + " resizes short sides down to " + min + ", smaller than the "
          + crop + "-pixel crop; MIN must be at least the crop size");
    }
  }

  @Override
  public String toString() {
    return min + "," + max;
  }
}
