package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFolderLoaderTest {
  private static final int FRAMES = 12;

  /** Gray level of frame {@code t}: far enough apart to survive lossy coding. */
  private static int level(int t) {
    return 10 + 18 * t;
  }

  /** A 48×32 (w×h) MPEG-4 video whose frame t is a flat gray of {@link #level}(t). */
  static void writeVideo(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 48, 32, 0)) {
      r.setFormat(file.toString().endsWith(".avi") ? "avi" : "mp4");
      r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      r.setFrameRate(25);
      r.setVideoQuality(1);
      r.start();
      for (int t = 0; t < FRAMES; t++) {
        Frame f = new Frame(48, 32, Frame.DEPTH_UBYTE, 3);
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int i = 0; i < f.imageStride * 32; i++) {
          b.put(i, (byte) level(t));
        }
        r.record(f);
      }
      r.stop();
    }
  }

  private static Path folder(Path root) throws Exception {
    writeVideo(root.resolve("jump/a.avi"));
    writeVideo(root.resolve("jump/b.mp4"));
    writeVideo(root.resolve("run/c.avi"));
    writeVideo(root.resolve("run/sub/d.mp4"));
    byte[] junk = new byte[4096];
    new SplittableRandom(1).nextBytes(junk);
    Files.write(root.resolve("run/broken.mp4"), junk);
    Files.writeString(root.resolve("run/notes.txt"), "not a video");
    return root;
  }

  @Test
  void decodesResizesSamplesSplitsAndSkipsCorruptFiles(@TempDir Path dir) throws Exception {
    Path root = folder(dir);
    FeatureShape clip = FeatureShape.of(3, 4, 24, 24);
    VideoFolderLoader.Options o = new VideoFolderLoader.Options(clip, 2, 2, 0.5, 0, 0, 7, 1);
    DatasetPair pair = VideoFolderLoader.load(root, o);
    assertEquals(List.of("jump", "run"), pair.train().classNames());
    assertEquals(clip, pair.train().shape());
    // Four readable videos split 2/2 by class; two test clips each, stored per video.
    assertArrayEquals(new int[] {1, 1}, pair.train().classCounts());
    assertEquals(4, pair.test().size());
    assertEquals(2, pair.testViews());
    assertArrayEquals(new int[] {0, 1}, ClipAverage.videoLabels(pair.test(), 2));
    assertEquals(1, pair.warnings().size(), pair.warnings().toString());
    assertTrue(pair.warnings().get(0).contains("skipped 1 unreadable video(s): broken.mp4"), pair.warnings().get(0));

    // Test clips: window of 8 frames at starts 0 and 4, frames 1,3,5,7 and 5,7,9,11.
    int[][] expected = {{1, 3, 5, 7}, {5, 7, 9, 11}};
    for (int s = 0; s < 4; s++) {
      for (int t = 0; t < 4; t++) {
        for (int c = 0; c < 3; c++) {
          int v = pair.test().pixel(s, c, t, 12, 12);
          int want = level(expected[s % 2][t]);
          assertTrue(Math.abs(v - want) <= 6, "clip " + s + " frame " + t + ": " + v + " vs " + want);
        }
      }
    }
    // A training clip is 4 frames 2 apart from some window: gray levels rise by 36 per frame.
    for (int s = 0; s < 2; s++) {
      for (int t = 1; t < 4; t++) {
        int step = pair.train().pixel(s, 0, t, 5, 5) - pair.train().pixel(s, 0, t - 1, 5, 5);
        assertTrue(Math.abs(step - 36) <= 8, "train clip " + s + " step " + step);
      }
    }
    assertArrayEquals(Samples.bytes(pair.test(), 3), Samples.bytes(VideoFolderLoader.load(root, o).test(), 3));
    // Stride 1 and three crops per clip: windows of 4 consecutive frames, 2 clips × 3 crops per video.
    DatasetPair three = VideoFolderLoader.load(root, new VideoFolderLoader.Options(clip, 1, 2, 0.5, 0, 0, 7, 3));
    assertEquals(6, three.testViews());
    assertEquals(12, three.test().size());
    assertArrayEquals(new int[] {0, 1}, ClipAverage.videoLabels(three.test(), 6));
    for (int t = 1; t < 4; t++) {
      int step = three.test().pixel(0, 0, t, 12, 12) - three.test().pixel(0, 0, t - 1, 12, 12);
      assertTrue(Math.abs(step - 18) <= 6, "consecutive frames: step " + step);
    }
  }

  @Test
  void decodeReportsRatherThanThrows(@TempDir Path dir) throws Exception {
    Path video = dir.resolve("v.mp4");
    writeVideo(video);
    var ok = VideoFolderLoader.decode(video, 1, 16);
    assertNull(ok.problem());
    assertEquals(FRAMES, ok.video().length());
    assertEquals(16, ok.video().height());
    assertEquals(24, ok.video().width());
    Path empty = dir.resolve("empty.avi");
    Files.write(empty, new byte[0]);
    assertNull(VideoFolderLoader.decode(empty, 3, 16).video());
    assertTrue(VideoFolderLoader.decode(dir.resolve("missing.mp4"), 3, 16).problem().startsWith("missing.mp4 ("));
    assertArrayEquals(new int[] {128, 171}, VideoFolderLoader.resized(240, 320, 128));
    assertArrayEquals(new int[] {171, 128}, VideoFolderLoader.resized(320, 240, 128));
  }

  @Test
  void splitFoldersLimitsAndBadOptions(@TempDir Path dir) throws Exception {
    writeVideo(dir.resolve("train/jump/a.mp4"));
    writeVideo(dir.resolve("train/jump/b.mp4"));
    writeVideo(dir.resolve("train/run/c.mp4"));
    writeVideo(dir.resolve("test/run/d.mp4"));
    Files.createDirectories(dir.resolve("test/jump"));
    FeatureShape clip = FeatureShape.of(1, 3, 16, 16);
    DatasetPair pair = VideoFolderLoader.load(dir, new VideoFolderLoader.Options(clip, 1, 1, 0.2, 2, 0, 3, 1));
    assertArrayEquals(new int[] {1, 1}, pair.train().classCounts());
    assertArrayEquals(new int[] {0, 1}, pair.test().classCounts());
    assertTrue(pair.warnings().get(0).contains("no videos for class 'jump'"), pair.warnings().toString());
    assertThrows(DatasetException.class,
        () -> VideoFolderLoader.load(dir, new VideoFolderLoader.Options(clip, 1, 1, 0.2, 9, 0, 3, 1)));
    assertThrows(DatasetException.class,
        () -> new VideoFolderLoader.Options(FeatureShape.of(3, 16, 16), 1, 1, 0.2, 0, 0, 3, 1));
    assertThrows(DatasetException.class, () -> VideoFolderLoader.load(dir.resolve("nope"),
        new VideoFolderLoader.Options(clip, 1, 1, 0.2, 0, 0, 3, 1)));
  }
}
