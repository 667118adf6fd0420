package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  private static final FeatureShape SHAPE = FeatureShape.of(2, 5, 7);
  private static final int SIZE = 70;

  /** Distinct positive values, so moved and zeroed pixels are told apart. */
  private static float[] batch(int count) {
    float[] b = new float[count * SIZE];
    for (int i = 0; i < b.length; i++) {
      b[i] = (i + 1) / (float) b.length;
    }
    return b;
  }

  /** Reference crop: pad with zeros, then cut at (pad + dy, pad + dx). */
  private static float[] padCrop(float[] src, int offset, int dy, int dx) {
    float[] out = new float[SIZE];
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++) {
          int sy = y + dy;
          int sx = x + dx;
          boolean inside = sy >= 0 && sy < 5 && sx >= 0 && sx < 7;
          out[(c * 5 + y) * 7 + x] = inside ? src[offset + (c * 5 + sy) * 7 + sx] : 0f;
        }
      }
    }
    return out;
  }

  @Test
  void shiftMatchesPaddedCropForEveryOffset() {
    float[] original = batch(2);
    for (int dy = -6; dy <= 6; dy++) {
      for (int dx = -8; dx <= 8; dx++) {
        float[] b = original.clone();
        Augmentation.shift(b, SIZE, SHAPE, dy, dx);
        assertArrayEquals(padCrop(original, SIZE, dy, dx), Arrays.copyOfRange(b, SIZE, 2 * SIZE), dy + "," + dx);
        assertArrayEquals(Arrays.copyOf(original, SIZE), Arrays.copyOf(b, SIZE), "other samples untouched");
      }
    }
  }

  @Test
  void cropWithPaddingZeroIsIdentity() {
    float[] b = batch(3);
    new Augmentation(0, false, 0).apply(b, 3, SHAPE, new SplittableRandom(1));
    assertArrayEquals(batch(3), b);
  }

  @Test
  void flipTwiceIsIdentityAndFlipMirrorsRows() {
    float[] b = batch(2);
    Augmentation.flipHorizontal(b, SIZE, SHAPE);
    assertEquals(batch(2)[SIZE + 6], b[SIZE]);
    assertEquals(batch(2)[SIZE + 7 + 3], b[SIZE + 7 + 3], "middle column stays");
    Augmentation.flipHorizontal(b, SIZE, SHAPE);
    assertArrayEquals(batch(2), b);
  }

  @Test
  void cutoutZeroesExactlyTheClippedSquareInEveryChannel() {
    float[] b = batch(1);
    Augmentation.cutout(b, 0, SHAPE, 1, 5, 4);
    // Rows [-1, 3) -> [0, 3), columns [3, 7): 3 × 4 pixels per channel.
    int zeros = 0;
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 7; x++) {
          boolean hole = y < 3 && x >= 3;
          float v = b[(c * 5 + y) * 7 + x];
          assertEquals(hole, v == 0f, c + "," + y + "," + x);
          zeros += v == 0f ? 1 : 0;
        }
      }
    }
    assertEquals(2 * 3 * 4, zeros);
  }

  @Test
  void randomAugmentationKeepsShapeIsSeededAndCutoutAreaIsBounded() {
    Augmentation aug = new Augmentation(2, true, 4);
    float[] a = batch(4);
    float[] b = batch(4);
    float[] buffer = Arrays.copyOf(batch(4), 4 * SIZE + 5);
    aug.apply(a, 4, SHAPE, new SplittableRandom(9));
    aug.apply(b, 4, SHAPE, new SplittableRandom(9));
    aug.apply(buffer, 4, SHAPE, new SplittableRandom(9));
    assertArrayEquals(a, b);
    assertArrayEquals(a, Arrays.copyOf(buffer, 4 * SIZE), "a larger buffer changes nothing");
    assertFalse(Arrays.equals(batch(4), a));
    // With cutout only, each sample loses at most 4×4 pixels per channel, never less than 2×2.
    float[] ones = new float[4 * SIZE];
    Arrays.fill(ones, 1f);
    new Augmentation(0, false, 4).apply(ones, 4, SHAPE, new SplittableRandom(3));
    for (int s = 0; s < 4; s++) {
      int zeros = 0;
      for (int k = 0; k < SIZE; k++) {
        zeros += ones[s * SIZE + k] == 0f ? 1 : 0;
      }
      assertTrue(zeros >= 2 * 4 && zeros <= 2 * 16 && zeros % 2 == 0, "sample " + s + ": " + zeros);
    }
    assertTrue(Augmentation.NONE.isNone());
    assertEquals(new Augmentation(4, true, 16), Augmentation.cifar().withCutout(16));
  }

  @Test
  void aClipIsCroppedFlippedAndCutOutAlikeInEveryFrame() {
    // 2 channels × 3 frames of 5×7: every frame of a channel starts as the same image, so after
    // augmenting they must still agree.
    FeatureShape clip = FeatureShape.of(2, 3, 5, 7);
    float[] b = new float[2 * 210];
    for (int s = 0; s < 2; s++) {
      for (int c = 0; c < 2; c++) {
        for (int t = 0; t < 3; t++) {
          for (int k = 0; k < 35; k++) {
            b[s * 210 + (c * 3 + t) * 35 + k] = (s * 100 + c * 35 + k + 1) / 300f;
          }
        }
      }
    }
    float[] before = b.clone();
    new Augmentation(2, true, 3).apply(b, 2, clip, new SplittableRandom(5));
    assertFalse(Arrays.equals(before, b));
    for (int s = 0; s < 2; s++) {
      for (int c = 0; c < 2; c++) {
        int first = s * 210 + c * 3 * 35;
        for (int t = 1; t < 3; t++) {
          assertArrayEquals(Arrays.copyOfRange(b, first, first + 35),
              Arrays.copyOfRange(b, first + t * 35, first + t * 35 + 35), "sample " + s + " channel " + c + " frame " + t);
        }
      }
    }
    float[] flipped = before.clone();
    Augmentation.flipHorizontal(flipped, 0, clip);
    assertEquals(before[6], flipped[0]);
    assertEquals(before[35 + 6], flipped[35], "second frame flipped as a 5×7 plane too");
  }
}
