package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClipSamplerTest {
  /** {@code n} one-channel frames of 4×6; frame t, pixel (y, x) holds 24·t + 6·y + x. */
  private static DecodedVideo video(int n) {
    List<byte[]> frames = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      byte[] f = new byte[24];
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 6; x++) {
          f[y * 6 + x] = (byte) (t * 24 + y * 6 + x);
        }
      }
      frames.add(f);
    }
    return new DecodedVideo(1, 4, 6, frames);
  }

  @Test
  void framesAreSpreadEvenlyOverTheWindow() {
    ClipSampler s = new ClipSampler(4, 2, 2);
    assertEquals(8, s.window(20));
    assertArrayEquals(new int[] {1, 3, 5, 7}, s.indices(20, 0));
    assertArrayEquals(new int[] {13, 15, 17, 19}, s.indices(20, 12));
    // A video shorter than the window is used whole; one shorter than the clip repeats frames.
    assertArrayEquals(new int[] {0, 1, 3, 4}, s.indices(5, 0));
    assertArrayEquals(new int[] {0, 0, 1, 1}, s.indices(2, 0));
    assertArrayEquals(new int[] {0, 6, 12}, s.testStarts(20, 3));
    assertArrayEquals(new int[] {6}, s.testStarts(20, 1));
    assertThrows(IllegalArgumentException.class, () -> s.indices(20, 13));
  }

  @Test
  void testClipsAreCentreCroppedAndChannelsThenFrames() {
    ClipSampler s = new ClipSampler(2, 1, 2);
    List<byte[]> clips = s.testClips(video(4), 2, 1);
    assertEquals(2, clips.size());
    // Window of 2 frames at starts 0 and 2; centre crop rows 1-2, columns 2-3.
    assertArrayEquals(new byte[] {8, 9, 14, 15, 32, 33, 38, 39}, clips.get(0));
    assertArrayEquals(new byte[] {56, 57, 62, 63, 80, 81, 86, 87}, clips.get(1));
  }

  @Test
  void threeTestCropsCoverTheLongSideForEachTemporalClip() {
    ClipSampler s = new ClipSampler(1, 1, 2);
    List<byte[]> views = s.testClips(video(4), 2, 3);
    assertEquals(6, views.size(), "2 temporal clips × 3 spatial crops, clip by clip");
    // frames 4×6, crop 2: rows 1-2; columns 0-1, 2-3 and 4-5; the windows start at frames 0 and 3
    assertArrayEquals(new byte[] {6, 7, 12, 13}, views.get(0));
    assertArrayEquals(new byte[] {8, 9, 14, 15}, views.get(1));
    assertArrayEquals(new byte[] {10, 11, 16, 17}, views.get(2));
    assertArrayEquals(new byte[] {78, 79, 84, 85}, views.get(3));
    assertArrayEquals(views.get(1), s.testClips(video(4), 2, 1).get(0), "the middle crop is the centre crop");
  }

  @Test
  void trainClipsAreSeededCropsInsideTheFrameSometimesMirrored() {
    ClipSampler s = new ClipSampler(2, 1, 3);
    DecodedVideo v = video(5);
    assertArrayEquals(s.trainClip(v, new SplittableRandom(4)), s.trainClip(v, new SplittableRandom(4)));
    boolean flipped = false;
    boolean straight = false;
    for (int seed = 0; seed < 40; seed++) {
      byte[] c = s.trainClip(v, new SplittableRandom(seed));
      int t0 = (c[0] & 0xff) / 24;
      int y0 = (c[0] & 0xff) % 24 / 6;
      assertEquals(t0 + 1, (c[9] & 0xff) / 24, "second frame follows the first");
      assertTrue(y0 <= 1);
      int step = (c[1] & 0xff) - (c[0] & 0xff);
      assertTrue(step == 1 || step == -1);
      flipped |= step == -1;
      straight |= step == 1;
    }
    assertTrue(flipped && straight);
    assertThrows(IllegalArgumentException.class, () -> new ClipSampler(2, 1, 5).trainClip(v, new SplittableRandom(1)));
  }

  @Test
  void clipScoresAverageToVideoScores() {
    float[][] scores = {{1, 0}, {0, 3}, {2, 0}, {4, 0}};
    assertArrayEquals(new float[] {0.5f, 1.5f}, ClipAverage.average(scores, 2)[0]);
    assertArrayEquals(new float[] {3f, 0f}, ClipAverage.average(scores, 2)[1]);
    ImageDataset test = ImageDataset.of(dev.nas.core.graph.FeatureShape.of(1, 1, 1), new byte[4], new int[] {1, 1, 0, 0},
        List.of("a", "b"));
    assertArrayEquals(new int[] {1, 0}, ClipAverage.videoLabels(test, 2));
    assertEquals(1.0, ClipAverage.accuracy(scores, test, 2));
    assertEquals(0.75, ClipAverage.accuracy(scores, test, 1), "per clip: the first clip alone is wrong");
    assertThrows(IllegalArgumentException.class, () -> ClipAverage.average(scores, 3));
  }
}
