package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Training-time augmentation applied in place to float batches ({@code N×C×H×W} images or
 * {@code N×C×T×H×W} clips, values in [0, 1]) as {@link ImageDataset#fillBatch} produces them.
 * A clip is augmented as one: the same crop, flip and cutout on every frame, so motion is kept. Per sample, in this order: a random
 * crop of the image zero-padded by {@code cropPadding} on every side, a horizontal flip with
 * probability 1/2, and cutout. Each part is off when its parameter is 0/false. All randomness
 * comes from the generator the caller passes in, so a seeded run augments identically every time.
 *
 * <p>Cutout (DeVries &amp; Taylor 2017, as in DARTS' train.py) zeroes a {@code length×length}
 * square centred on a uniformly drawn pixel, clipped at the borders. DARTS applies it after
 * normalisation, so its hole is the dataset mean; here it runs on [0, 1] pixels before the
 * network's in-graph normalisation, so the hole is black.
 */
public record Augmentation(int cropPadding, boolean horizontalFlip, int cutoutLength) {
  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(0, false, 0);

  public Augmentation {
    if (cropPadding < 0 || cutoutLength < 0) {
      throw new IllegalArgumentException("crop padding and cutout length must not be negative");
    }
  }

  /** The usual CIFAR recipe: pad-4 random crop and horizontal flips, no cutout. */
  public static Augmentation cifar() {
    return new Augmentation(4, true, 0);
  }

  /**
   * nas' training augmentation for data set {@code dataset}: random crops from the sample padded
   * by 1/8 of its shorter side, horizontal flips where they keep the label
   * ({@link Datasets#mirrorKeepsLabel}), and cutout of side {@code cutout} (0 for none). Clips are
   * cropped and flipped alike in every frame.
   */
  public static Augmentation training(String dataset, ImageDataset data, int cutout) {
    return new Augmentation(cropPadding(data), Datasets.mirrorKeepsLabel(dataset), cutout);
  }

  /** The padding of nas' training crops of {@code data}: 1/8 of the shorter side (CIFAR's 4 for 32×32), at least 1. */
  public static int cropPadding(ImageDataset data) {
    return Math.max(1, Math.min(data.height(), data.width()) / 8);
  }

  public Augmentation withCutout(int length) {
    return new Augmentation(cropPadding, horizontalFlip, length);
  }

  public boolean isNone() {
    return cropPadding == 0 && !horizontalFlip && cutoutLength == 0;
  }

  /** Augments the first {@code count} samples of {@code batch}. */
  public void apply(float[] batch, int count, FeatureShape shape, SplittableRandom rng) {
    if (shape.rank() != 2 && shape.rank() != 3) {
      throw new IllegalArgumentException("augmentation works on C×H×W images or C×T×H×W clips, not " + shape);
    }
    int size = (int) shape.numel();
    if ((long) count * size > batch.length) {
      throw new IllegalArgumentException("batch buffer holds " + batch.length + " floats, fewer than "
          + count + " × " + shape);
    }
    for (int b = 0; b < count; b++) {
      applyToSample(batch, b * size, shape, rng);
    }
  }

  /** Augments the one sample (image or clip) starting at {@code offset}. */
  public void applyToSample(float[] buf, int offset, FeatureShape sampleShape, SplittableRandom rng) {
    FeatureShape shape = planes(sampleShape);
    int h = shape.spatial(0);
    int w = shape.spatial(1);
    if (cropPadding > 0) {
      int dy = Seeds.below(rng, 2 * cropPadding + 1) - cropPadding;
      int dx = Seeds.below(rng, 2 * cropPadding + 1) - cropPadding;
      shift(buf, offset, shape, dy, dx);
    }
    if (horizontalFlip && rng.nextLong() < 0) {
      flipHorizontal(buf, offset, shape);
    }
    if (cutoutLength > 0) {
      int cy = Seeds.below(rng, h);
      int cx = Seeds.below(rng, w);
      cutout(buf, offset, shape, cy, cx, cutoutLength);
    }
  }

  /**
   * Moves the image so that output pixel (y, x) is input pixel (y + dy, x + dx), zero where that
   * falls outside: exactly the crop at offset (pad + dy, pad + dx) of the image zero-padded by
   * pad. In place; rows are visited in the direction that reads each source row before it is
   * overwritten, and {@code System.arraycopy} handles overlap within a row.
   */
  public static void shift(float[] buf, int offset, FeatureShape sampleShape, int dy, int dx) {
    FeatureShape shape = planes(sampleShape);
    int c = shape.channels();
    int h = shape.spatial(0);
    int w = shape.spatial(1);
    if (dy == 0 && dx == 0) {
      return;
    }
    int x0 = Math.max(0, -dx);
    int x1 = Math.min(w, w - dx);
    for (int ch = 0; ch < c; ch++) {
      int plane = offset + ch * h * w;
      for (int i = 0; i < h; i++) {
        int y = dy >= 0 ? i : h - 1 - i;
        int row = plane + y * w;
        int sy = y + dy;
        if (sy < 0 || sy >= h || x0 >= x1) {
          Arrays.fill(buf, row, row + w, 0f);
          continue;
        }
        System.arraycopy(buf, plane + sy * w + x0 + dx, buf, row + x0, x1 - x0);
        Arrays.fill(buf, row, row + x0, 0f);
        Arrays.fill(buf, row + x1, row + w, 0f);
      }
    }
  }

  /** Mirrors the sample at {@code offset} left-right, in place. */
  public static void flipHorizontal(float[] buf, int offset, FeatureShape sampleShape) {
    FeatureShape shape = planes(sampleShape);
    int rows = shape.channels() * shape.spatial(0);
    int w = shape.spatial(1);
    for (int r = 0; r < rows; r++) {
      int a = offset + r * w;
      int b = a + w - 1;
      while (a < b) {
        float t = buf[a];
        buf[a++] = buf[b];
        buf[b--] = t;
      }
    }
  }

  /**
   * Zeroes rows {@code [cy - length/2, cy + length/2)} × columns {@code [cx - length/2,
   * cx + length/2)}, clipped to the image, in every channel (integer division, as DARTS does).
   */
  public static void cutout(float[] buf, int offset, FeatureShape sampleShape, int cy, int cx, int length) {
    FeatureShape shape = planes(sampleShape);
    int c = shape.channels();
    int h = shape.spatial(0);
    int w = shape.spatial(1);
    int half = length / 2;
    int y0 = clamp(cy - half, h);
    int y1 = clamp(cy + half, h);
    int x0 = clamp(cx - half, w);
    int x1 = clamp(cx + half, w);
    if (x0 >= x1) {
      return;
    }
    for (int ch = 0; ch < c; ch++) {
      for (int y = y0; y < y1; y++) {
        int row = offset + (ch * h + y) * w;
        Arrays.fill(buf, row + x0, row + x1, 0f);
      }
    }
  }

  /**
   * A clip {@code C×T×H×W} as {@code (C·T)×H×W} planes: every transform here moves pixels within
   * a plane in the same way for all planes, so this applies it identically to every frame.
   */
  private static FeatureShape planes(FeatureShape shape) {
    if (shape.rank() == 3) {
      return FeatureShape.of(shape.channels() * shape.spatial(0), shape.spatial(1), shape.spatial(2));
    }
    if (shape.rank() != 2) {
      throw new IllegalArgumentException("augmentation works on C×H×W images or C×T×H×W clips, not " + shape);
    }
    return shape;
  }

  private static int clamp(int v, int size) {
    return Math.max(0, Math.min(size, v));
  }
}
