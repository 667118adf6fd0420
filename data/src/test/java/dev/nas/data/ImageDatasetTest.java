package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nas.core.graph.FeatureShape;
import dev.nas.derive.Preprocessing;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {
  /** Three samples of 2×1×2; sample i holds i*10 + k at flat position k (and 255 in the last one). */
  private static ImageDataset tiny() {
    byte[] px = new byte[12];
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < 4; k++) {
        px[i * 4 + k] = (byte) (i * 10 + k);
      }
    }
    px[11] = (byte) 255;
    return ImageDataset.of(FeatureShape.of(2, 1, 2), px, new int[] {1, 0, 1}, List.of("x", "y"));
  }

  @Test
  void fillBatchScalesToUnitRangeInIndexOrder() {
    ImageDataset d = tiny();
    float[] images = new float[8];
    int[] labels = new int[2];
    d.fillBatch(new int[] {9, 2, 0}, 1, 2, images, labels);
    assertArrayEquals(new float[] {20 / 255f, 21 / 255f, 22 / 255f, 1f, 0f, 1 / 255f, 2 / 255f, 3 / 255f}, images);
    assertArrayEquals(new int[] {1, 1}, labels);
    assertThrows(IllegalArgumentException.class, () -> d.fillBatch(new int[] {0, 1, 2}, new float[8], null));
    assertThrows(IndexOutOfBoundsException.class, () -> d.fillBatch(new int[] {3}, new float[4], null));
  }

  @Test
  void subsetCopiesSamplesAndLabels() {
    ImageDataset s = tiny().subset(new int[] {2, 2, 1});
    assertEquals(3, s.size());
    assertArrayEquals(new int[] {1, 1, 0}, s.labels());
    assertArrayEquals(Samples.bytes(tiny(), 2), Samples.bytes(s, 1));
    assertEquals(10, s.pixel(2, 0, 0, 0));
    assertArrayEquals(new int[] {1, 2}, s.classCounts());
  }

  @Test
  void constructionChecksSizesAndLabels() {
    FeatureShape shape = FeatureShape.of(1, 2, 2);
    assertThrows(IllegalArgumentException.class, () -> ImageDataset.of(shape, new byte[7], new int[2], List.of("a")));
    assertThrows(IllegalArgumentException.class, () -> ImageDataset.of(shape, new byte[4], new int[] {1}, List.of("a")));
    assertThrows(DatasetException.class, () -> ImageDataset.checkFits(1_000_000, FeatureShape.of(3, 224, 224)));
  }

  @Test
  void channelStatsAreExactPopulationStatistics() {
    ChannelStats stats = ChannelStats.of(tiny());
    // Channel 0 values: 0,1,10,11,20,21 -> mean 10.5, variance 401.5 / 6.
    assertEquals(10.5 / 255, stats.mean().get(0), 1e-12);
    assertEquals(Math.sqrt(401.5 / 6) / 255, stats.std().get(0), 1e-12);
    Preprocessing p = ChannelStats.preprocessing(tiny());
    assertEquals("2-channel", p.channels());
    assertEquals(2, p.mean().size());
    ImageDataset flat = ImageDataset.of(FeatureShape.of(1, 1, 1), new byte[] {7, 7}, new int[2], List.of("a"));
    assertEquals(1f, ChannelStats.preprocessing(flat).std().get(0));
    assertEquals("L", flat.channelOrder());
  }

  @Test
  void clipsAreChannelsThenFramesAndStatisticsCoverAllFrames() {
    // Two clips of 1 channel × 2 frames × 1×2: flat position k of clip i holds i*10 + k.
    byte[] px = {0, 1, 2, 3, 10, 11, 12, 13};
    ImageDataset clips = ImageDataset.of(FeatureShape.of(1, 2, 1, 2), px, new int[] {0, 1}, List.of("a", "b"));
    assertEquals(true, clips.isVideo());
    assertEquals(2, clips.frames());
    assertEquals(1, clips.height());
    assertEquals(2, clips.width());
    assertEquals(12, clips.pixel(1, 0, 1, 0, 0));
    assertEquals(3, clips.pixel(0, 0, 1, 0, 1));
    assertThrows(IllegalStateException.class, () -> clips.pixel(0, 0, 0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> clips.pixel(0, 0, 2, 0, 0));
    assertEquals(1, tiny().frames());
    // All eight values: mean 6.5.
    assertEquals(6.5 / 255, ChannelStats.of(clips).mean().get(0), 1e-12);
    float[] batch = new float[8];
    clips.fillBatch(new int[] {1, 0}, batch, null);
    assertEquals(13 / 255f, batch[3]);
    assertThrows(IllegalArgumentException.class,
        () -> ImageDataset.of(FeatureShape.of(1, 1, 1, 1, 1), new byte[1], new int[1], List.of("a")));
  }
}
