package dev.nas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nas.core.graph.FeatureShape;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingClipsTest {
  private static final FeatureShape CLIP = FeatureShape.of(3, 4, 24, 24);
  private static final long SEED = 11;

  /** A 64×40 (w×h) MPEG-4 video of 20 frames: a diagonal ramp that brightens over time, offset by {@code shift}. */
  private static void writeRamp(Path file, int shift) throws Exception {
    Files.createDirectories(file.getParent());
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 64, 40, 0)) {
      r.setFormat("mp4");
      r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      r.setFrameRate(25);
      r.setVideoQuality(1);
      r.start();
      for (int t = 0; t < 20; t++) {
        Frame f = new Frame(64, 40, Frame.DEPTH_UBYTE, 3);
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int y = 0; y < 40; y++) {
          for (int x = 0; x < 64; x++) {
            for (int c = 0; c < 3; c++) {
              b.put(y * f.imageStride + 3 * x + c, (byte) (shift + 2 * x + y + 6 * t));
            }
          }
        }
        r.record(f);
      }
      r.stop();
    }
  }

  /** train/ and test/ folders of two classes; training videos in listing order are a/0, a/1, b/2, b/3. */
  private static Path folder(Path root) throws Exception {
    writeRamp(root.resolve("train/a/0.mp4"), 0);
    writeRamp(root.resolve("train/a/1.mp4"), 5);
    writeRamp(root.resolve("train/b/2.mp4"), 10);
    writeRamp(root.resolve("train/b/3.mp4"), 15);
    writeRamp(root.resolve("test/a/4.mp4"), 20);
    writeRamp(root.resolve("test/b/5.mp4"), 25);
    return root;
  }

  /** Every sample's bytes, one after the other. */
  private static byte[] all(ImageDataset d) {
    byte[] out = new byte[(int) (d.size() * d.shape().numel())];
    for (int i = 0; i < d.size(); i++) {
      byte[] one = Samples.bytes(d, i);
      System.arraycopy(one, 0, out, i * one.length, one.length);
    }
    return out;
  }

  private static VideoFolderLoader.Options options(ScaleJitter jitter, long cacheBytes) {
    return new VideoFolderLoader.Options(CLIP, 2, 2, 0.2, 0, 0, SEED, 1, jitter, cacheBytes);
  }

  private static List<Path> trainFiles(Path root) {
    return List.of(root.resolve("train/a/0.mp4"), root.resolve("train/a/1.mp4"), root.resolve("train/b/2.mp4"),
        root.resolve("train/b/3.mp4"));
  }

  @Test
  void clipsChangeFromEpochToEpochButNotBetweenRuns(@TempDir Path dir) throws Exception {
    Path root = folder(dir);
    DatasetPair pair = VideoFolderLoader.load(root, options(null, 0));
    assertTrue(pair.variesByEpoch());
    assertEquals(4, pair.trainingClips().cachedVideos());
    ImageDataset e1 = pair.train(1);
    ImageDataset e2 = pair.train(2);
    assertArrayEquals(pair.train().labels(), e1.labels());
    assertFalse(Arrays.equals(all(e1), all(e2)));
    assertFalse(Arrays.equals(all(pair.train()), all(e1)));
    // Epoch 0 recut equals the clips cut at load time; another load (a resumed run) sees the same epochs.
    assertArrayEquals(all(pair.train()), all(pair.trainingClips().epoch(0)));
    DatasetPair again = VideoFolderLoader.load(root, options(null, 0));
    assertArrayEquals(all(e2), all(again.train(2)));
    assertArrayEquals(all(pair.test()), all(again.test()));
  }

  @Test
  void unjitteredClipsAreCutAsTheLoaderAlwaysCutThem(@TempDir Path dir) throws Exception {
    Path root = folder(dir);
    VideoFolderLoader.Options o = options(null, 0);
    DatasetPair pair = VideoFolderLoader.load(root, o);
    ClipSampler sampler = new ClipSampler(4, 2, 24);
    List<Path> files = trainFiles(root);
    for (int i = 0; i < files.size(); i++) {
      // The load-time draw of earlier versions: stream i of mix(seed, 2), frames at short side 8/7 × 24 = 27.
      DecodedVideo v = VideoFolderLoader.decode(files.get(i), 3, 27).video();
      byte[] before = sampler.trainClip(v, Seeds.random(Seeds.mix(SEED, 2), i));
      assertArrayEquals(before, Samples.bytes(pair.train(), i), "video " + i);
    }
  }

  @Test
  void jitteredClipsTakeShortSidesFromTheRangeAndTestClipsTheSmallest(@TempDir Path dir) throws Exception {
    Path root = folder(dir);
    ScaleJitter jitter = new ScaleJitter(24, 30);
    DatasetPair pair = VideoFolderLoader.load(root, options(jitter, 0));
    ClipSampler sampler = new ClipSampler(4, 2, 24);
    long seed = Seeds.mix(SEED, 2);
    List<Path> files = trainFiles(root);
    DecodedVideo largest = VideoFolderLoader.decode(files.get(1), 3, 30).video();
    for (int epoch = 0; epoch < 3; epoch++) {
      ClipSampler.Placement p = sampler.place(largest, jitter, TrainingClips.stream(seed, epoch, 1));
      byte[] want = sampler.cut(largest, p);
      assertArrayEquals(want, Samples.bytes(pair.train(epoch), 1), "epoch " + epoch);
    }
    DecodedVideo smallest = VideoFolderLoader.decode(root.resolve("test/a/4.mp4"), 3, 24).video();
    List<byte[]> views = sampler.testClips(smallest, 2, 1);
    for (int k = 0; k < 2; k++) {
      assertArrayEquals(views.get(k), Samples.bytes(pair.test(), k));
    }
  }

  @Test
  void shortSidesCoverTheJitterRangeAndNothingElse() {
    List<byte[]> frames = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      frames.add(new byte[40 * 60]);
    }
    DecodedVideo video = new DecodedVideo(1, 40, 60, frames);
    ClipSampler sampler = new ClipSampler(2, 1, 20);
    ScaleJitter jitter = new ScaleJitter(20, 40);
    boolean[] seen = new boolean[41];
    SplittableRandom rng = new SplittableRandom(3);
    for (int k = 0; k < 500; k++) {
      ClipSampler.Placement p = sampler.place(video, jitter, rng);
      assertTrue(p.side() >= 20 && p.side() <= 40, "short side " + p.side());
      int[] size = VideoFolderLoader.resized(40, 60, p.side());
      assertTrue(p.y0() + 20 <= size[0] && p.x0() + 20 <= size[1], p + " outside " + Arrays.toString(size));
      seen[p.side()] = true;
      assertEquals(2 * 20 * 20, sampler.cut(video, p).length);
    }
    assertTrue(seen[20] && seen[40], "both ends of the range are drawn");
    assertEquals(0, sampler.place(video, null, rng).side());
  }

  @Test
  void videosBeyondTheCacheAreDecodedAgainWithTheSameClips(@TempDir Path dir) throws Exception {
    Path root = folder(dir);
    ScaleJitter jitter = new ScaleJitter(24, 28);
    DatasetPair cached = VideoFolderLoader.load(root, options(jitter, 0));
    DatasetPair reread = VideoFolderLoader.load(root, options(jitter, 1));
    assertEquals(0, reread.trainingClips().cachedVideos());
    assertEquals(1, reread.warnings().size(), reread.warnings().toString());
    assertTrue(reread.warnings().get(0).contains("4 of 4 training videos do not fit the 0 MiB clip cache"),
        reread.warnings().get(0));
    assertTrue(cached.warnings().isEmpty(), cached.warnings().toString());
    for (int epoch = 0; epoch < 3; epoch++) {
      assertArrayEquals(all(cached.train(epoch)), all(reread.train(epoch)));
    }
  }

  @Test
  void badJitterIsRefusedWithOneMessage() {
    DatasetException wide = assertThrows(DatasetException.class, () -> new ScaleJitter(30, 24));
    assertEquals("scale jitter needs 1 <= MIN <= MAX, got 30,24", wide.getMessage());
    DatasetException small = assertThrows(DatasetException.class, () -> options(new ScaleJitter(20, 30), 0));
    assertTrue(small.getMessage().contains("smaller than the 24-pixel crop"), small.getMessage());
    assertThrows(DatasetException.class, () -> options(null, -1));
    assertThrows(DatasetException.class,
        () -> Datasets.load(DatasetSpec.of("synthetic-video").withScaleJitter(new ScaleJitter(32, 40))));
    assertNull(DatasetSpec.of("video-folder").scaleJitter());
  }

  @Test
  void alignedWindowsAreTheNonOverlappingClipsDrawnAfreshEachEpoch(@TempDir Path dir) throws Exception {
    List<byte[]> frames = new ArrayList<>();
    for (int t = 0; t < 37; t++) {
      frames.add(new byte[20 * 20]);
    }
    DecodedVideo video = new DecodedVideo(1, 20, 20, frames);
    // 4 frames with stride 2: windows of 8 frames; 37 frames hold the non-overlapping clips at 0, 8, 16, 24
    ClipSampler aligned = new ClipSampler(4, 2, 20, ClipWindows.ALIGNED);
    ClipSampler any = new ClipSampler(4, 2, 20);
    java.util.Set<Integer> starts = new java.util.TreeSet<>();
    java.util.Set<Integer> anyStarts = new java.util.TreeSet<>();
    for (int epoch = 0; epoch < 200; epoch++) {
      starts.add(aligned.place(video, null, TrainingClips.stream(SEED, epoch, 0)).start());
      anyStarts.add(any.place(video, null, TrainingClips.stream(SEED, epoch, 0)).start());
    }
    assertEquals(java.util.Set.of(0, 8, 16, 24), starts, "every clip, each epoch's own, and no other start");
    assertTrue(anyStarts.stream().anyMatch(s -> s % 8 != 0), "unaligned windows start anywhere: " + anyStarts);
    // SDAS' 16 consecutive frames (stride 1) from the non-overlapping 16-frame clips
    ClipSampler sdas = new ClipSampler(16, 1, 20, ClipWindows.ALIGNED);
    assertArrayEquals(java.util.stream.IntStream.range(16, 32).toArray(), sdas.indices(37, 16));
    for (int epoch = 0; epoch < 50; epoch++) {
      int start = sdas.place(video, null, TrainingClips.stream(SEED, epoch, 0)).start();
      assertTrue(start == 0 || start == 16, "start " + start);
    }
    assertEquals(0, new ClipSampler(8, 8, 20, ClipWindows.ALIGNED).place(video, null, new SplittableRandom(1)).start(),
        "a video shorter than one window is one clip");

    // The loader cuts each epoch's training clips at such placements.
    Path root = folder(dir);
    DatasetPair pair = VideoFolderLoader.load(root, new VideoFolderLoader.Options(CLIP, 2, 2, 0.2, 0, 0, SEED, 1,
        null, 0, ClipWindows.ALIGNED));
    ClipSampler sampler = new ClipSampler(4, 2, 24, ClipWindows.ALIGNED);
    List<Path> files = trainFiles(root);
    java.util.Set<Integer> loaded = new java.util.TreeSet<>();
    for (int i = 0; i < files.size(); i++) {
      DecodedVideo v = VideoFolderLoader.decode(files.get(i), 3, 27).video();
      for (int epoch = 0; epoch < 4; epoch++) {
        ClipSampler.Placement p = sampler.place(v, null, TrainingClips.stream(Seeds.mix(SEED, 2), epoch, i));
        assertEquals(0, p.start() % 8, "20 frames hold the clips at 0 and 8");
        loaded.add(p.start());
        assertArrayEquals(sampler.cut(v, p), Samples.bytes(pair.train(epoch), i), "video " + i + " epoch " + epoch);
      }
    }
    assertEquals(java.util.Set.of(0, 8), loaded);
  }

  @Test
  void clipWindowsAreNamedAndOnlyForVideoFolders() {
    assertEquals(ClipWindows.ALIGNED, ClipWindows.parse("aligned"));
    assertEquals(ClipWindows.ANY, ClipWindows.parse(null), "configurations written before the option");
    DatasetException bad = assertThrows(DatasetException.class, () -> ClipWindows.parse("overlapping"));
    assertEquals("--clip-windows must be any or aligned, not 'overlapping'", bad.getMessage());
    assertEquals(ClipWindows.ANY, DatasetSpec.of("video-folder").clipWindows());
    DatasetException other = assertThrows(DatasetException.class,
        () -> Datasets.load(DatasetSpec.of("synthetic-video").withClipWindows(ClipWindows.ALIGNED)));
    assertTrue(other.getMessage().contains("applies to video-folder clips"), other.getMessage());
  }
}
