package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticMotionTest {
  private static final FeatureShape CLIP = FeatureShape.of(3, 8, 32, 32);

  @Test
  void shapeLabelsAndNames() {
    ImageDataset d = SyntheticMotion.generate(FeatureShape.of(2, 5, 12, 20), 4, 10, 1, 0);
    assertEquals(FeatureShape.of(2, 5, 12, 20), d.shape());
    assertTrue(d.isVideo());
    assertEquals(5, d.frames());
    assertEquals(12, d.height());
    assertEquals(20, d.width());
    assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1}, d.labels());
    assertEquals(List.of("moving right", "moving up", "moving left", "moving down"), d.classNames());
    assertEquals(List.of("moving right", "moving at 120°", "moving at 240°"), SyntheticMotion.classNames(3));
    assertEquals("moving down-right", SyntheticMotion.classNames(8).get(7));
    assertThrows(DatasetException.class, () -> SyntheticMotion.classNames(9));
    assertThrows(DatasetException.class, () -> SyntheticMotion.generate(FeatureShape.of(3, 32, 32), 4, 2, 0, 0));
    assertThrows(DatasetException.class, () -> SyntheticMotion.generate(FeatureShape.of(3, 1, 32, 32), 4, 2, 0, 0));
  }

  @Test
  void deterministicPerSeedStreamAndIndex() {
    ImageDataset a = SyntheticMotion.generate(CLIP, 4, 12, 7, 0);
    ImageDataset b = SyntheticMotion.generate(CLIP, 4, 30, 7, 0);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(Samples.bytes(a, i), Samples.bytes(b, i));
    }
    assertFalse(Arrays.equals(Samples.bytes(a, 0), Samples.bytes(SyntheticMotion.generate(CLIP, 4, 1, 8, 0), 0)));
    assertFalse(Arrays.equals(Samples.bytes(a, 0), Samples.bytes(SyntheticMotion.generate(CLIP, 4, 1, 7, 1), 0)));
    // Pins the exact output across machines and JDKs.
    int hash = 0;
    for (int i = 0; i < a.size(); i++) {
      hash = 31 * hash + Arrays.hashCode(Samples.bytes(a, i));
    }
    assertEquals(FINGERPRINT, hash);
  }

  private static final int FINGERPRINT = -2105279922;

  /**
   * A nearest-class-mean classifier on one frame's 4×4 block means per channel does no better
   * than chance, on the first frame and on the last; the same classifier would pick up any
   * class-dependent start or end position, brightness or colour.
   */
  @Test
  void singleFramesCarryNoClassInformation() {
    DatasetPair pair = SyntheticMotion.generatePair(CLIP, 4, 800, 800, 3);
    for (int t : new int[] {0, CLIP.spatial(0) - 1}) {
      double acc = nearestMeanAccuracy(pair, t);
      assertTrue(acc < 0.25 + 0.06, "frame " + t + " alone predicts the class with accuracy " + acc);
    }
  }

  /** The sign of frame differences against spatial gradients recovers the direction. */
  @Test
  void frameDifferencesRevealTheClass() {
    ImageDataset d = SyntheticMotion.generate(CLIP, 4, 400, 3, 1);
    int correct = 0;
    for (int i = 0; i < d.size(); i++) {
      double[] v = flow(d, i);
      int guess = Math.abs(v[0]) >= Math.abs(v[1]) ? (v[0] > 0 ? 0 : 2) : (v[1] < 0 ? 1 : 3);
      if (guess == d.label(i)) {
        correct++;
      }
    }
    double acc = correct / (double) d.size();
    assertTrue(acc > 0.9, "motion estimate accuracy " + acc);
  }

  /** Flips would turn rightward into leftward motion: training augmentation never mirrors these clips. */
  @Test
  void trainingAugmentationDoesNotMirrorMotion() {
    ImageDataset d = SyntheticMotion.generate(CLIP, 4, 4, 3, 1);
    Augmentation video = Augmentation.training("synthetic-video", d, 0);
    assertFalse(video.horizontalFlip());
    assertTrue(video.cropPadding() > 0, "random crops keep the direction and stay on");
    ImageDataset images = SyntheticShapes.generate(FeatureShape.of(3, 16, 16), 4, 4, 3, 0);
    assertTrue(Augmentation.training("synthetic", images, 0).horizontalFlip());
    assertTrue(Augmentation.training("cifar10", images, 8).horizontalFlip());
  }

  /** Block-mean features of frame {@code t}: 4×4 blocks per channel. */
  private static double[] features(ImageDataset d, int sample, int t) {
    int bh = d.height() / 4;
    int bw = d.width() / 4;
    double[] f = new double[d.channels() * 16];
    for (int c = 0; c < d.channels(); c++) {
      for (int y = 0; y < d.height(); y++) {
        for (int x = 0; x < d.width(); x++) {
          f[c * 16 + (y / bh) * 4 + x / bw] += d.pixel(sample, c, t, y, x);
        }
      }
    }
    return f;
  }

  private static double nearestMeanAccuracy(DatasetPair pair, int t) {
    ImageDataset train = pair.train();
    int k = train.numClasses();
    double[][] mean = new double[k][];
    for (int i = 0; i < train.size(); i++) {
      double[] f = features(train, i, t);
      int l = train.label(i);
      if (mean[l] == null) {
        mean[l] = new double[f.length];
      }
      for (int j = 0; j < f.length; j++) {
        mean[l][j] += f[j];
      }
    }
    int[] counts = train.classCounts();
    for (int l = 0; l < k; l++) {
      for (int j = 0; j < mean[l].length; j++) {
        mean[l][j] /= counts[l];
      }
    }
    ImageDataset test = pair.test();
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      double[] f = features(test, i, t);
      int best = 0;
      double bestDist = Double.MAX_VALUE;
      for (int l = 0; l < k; l++) {
        double dist = 0;
        for (int j = 0; j < f.length; j++) {
          dist += (f[j] - mean[l][j]) * (f[j] - mean[l][j]);
        }
        if (dist < bestDist) {
          bestDist = dist;
          best = l;
        }
      }
      if (best == test.label(i)) {
        correct++;
      }
    }
    return correct / (double) test.size();
  }

  /**
   * Brightness constancy: a frame difference D and the spatial gradient G of the moving pattern
   * satisfy D ≈ −v·G, so −Σ D·Gx and −Σ D·Gy point along the motion (x right, y down).
   */
  private static double[] flow(ImageDataset d, int sample) {
    double sx = 0;
    double sy = 0;
    for (int c = 0; c < d.channels(); c++) {
      for (int t = 0; t + 1 < d.frames(); t++) {
        for (int y = 1; y + 1 < d.height(); y++) {
          for (int x = 1; x + 1 < d.width(); x++) {
            double diff = d.pixel(sample, c, t + 1, y, x) - d.pixel(sample, c, t, y, x);
            double gx = avg(d, sample, c, t, y, x + 1) - avg(d, sample, c, t, y, x - 1);
            double gy = avg(d, sample, c, t, y + 1, x) - avg(d, sample, c, t, y - 1, x);
            sx -= diff * gx;
            sy -= diff * gy;
          }
        }
      }
    }
    return new double[] {sx, sy};
  }

  private static double avg(ImageDataset d, int sample, int c, int t, int y, int x) {
    return 0.5 * (d.pixel(sample, c, t, y, x) + d.pixel(sample, c, t + 1, y, x));
  }
}
