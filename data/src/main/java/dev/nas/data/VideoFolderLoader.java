package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Reads a folder of videos in the UCF-101 / HMDB-51 / Kinetics layout (one sub-folder per class,
 * classes in sorted order; avi, mp4, mkv, webm, mov files at any depth below it), decoding with
 * FFmpeg through JavaCV. Every frame is converted to RGB or grayscale and resized
 * ({@link Resampler}) so that its short side is {@code 8/7} of the crop (128 for 112, as SDAS and
 * PV-NAS do); clips are then cut with a {@link ClipSampler}: one random clip (random window,
 * crop and flip) per training video, {@code testClips} clips per test video, each centre-cropped or
 * cut at three places along the long side ({@code testCrops}), stored consecutively
 * ({@link DatasetPair#testViews()}: temporal clips × spatial crops, as SlowFast's and PV-NAS' 10 × 3
 * views).
 *
 * <p>Splits are made per video before decoding, so clips of one video never land on both sides:
 * {@code train/} and {@code test/} (or {@code val/}, {@code validation/}) sub-folders when present,
 * otherwise a stratified, seeded share of the videos. Files FFmpeg cannot open or that hold no
 * video frame are skipped, counted and reported in {@link DatasetPair#warnings()}.
 *
 * <p>Training clips are drawn once, at load time, from the seed; per-epoch variety comes from
 * {@link Augmentation} on top.
 */
public final class VideoFolderLoader {
  private static final Set<String> EXTENSIONS = Set.of("avi", "mp4", "mkv", "webm", "mov");
  /** Frame step inside the sampling window: T frames span 2T frames of video. */
  public static final int DEFAULT_STRIDE = 2;
  public static final int DEFAULT_TEST_CLIPS = 3;

  static {
    // Problems are reported per file in the warnings; FFmpeg's own console chatter would repeat them.
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
  }

  private VideoFolderLoader() {}

  /** What to load and how to cut it; counts of 0 mean all videos. */
  public record Options(FeatureShape clip, int stride, int testClips, double testFraction, int trainVideos,
      int testVideos, long seed, int testCrops) {
    public Options {
      if (clip.rank() != 3 || (clip.channels() != 1 && clip.channels() != 3)
          || clip.spatial(1) != clip.spatial(2)) {
        throw new DatasetException("video folders load as 1×T×S×S (grayscale) or 3×T×S×S (RGB) clips with square "
            + "frames, not " + clip);
      }
      if (testCrops != 1 && testCrops != 3) {
        throw new DatasetException("test crops must be 1 (centre) or 3 (both ends and the centre), got " + testCrops);
      }
      if (stride < 1 || testClips < 1 || trainVideos < 0 || testVideos < 0) {
        throw new DatasetException("frame stride and test clips must be positive and video counts not negative");
      }
      if (!(testFraction >= 0 && testFraction <= 1)) {
        throw new DatasetException("test fraction must be in [0, 1], got " + testFraction);
      }
    }

    ClipSampler sampler() {
      return new ClipSampler(clip.spatial(0), stride, clip.spatial(1));
    }

    /** Short side frames are resized to: 8/7 of the crop, rounded. */
    int shortSide() {
      return (int) Math.round(clip.spatial(1) * 8.0 / 7.0);
    }
  }

  /** Loads {@code root}; see the class comment. */
  public static DatasetPair load(Path root, Options o) {
    if (!Files.isDirectory(root)) {
      throw new DatasetException(root, "video folder not found");
    }
    Path trainDir = root.resolve("train");
    Path testDir = ImageFolderLoader.TEST_FOLDERS.stream().map(root::resolve).filter(Files::isDirectory)
        .findFirst().orElse(null);
    Listing train;
    Listing test;
    List<String> warnings = new ArrayList<>();
    if (Files.isDirectory(trainDir) && testDir != null) {
      List<String> classes = ImageFolderLoader.classFolders(trainDir);
      for (String c : ImageFolderLoader.classFolders(testDir)) {
        if (!classes.contains(c)) {
          throw new DatasetException(testDir.resolve(c), "class folder has no counterpart in " + trainDir);
        }
      }
      train = Listing.of(trainDir, classes, warnings);
      test = Listing.of(testDir, classes, warnings);
    } else {
      Listing all = Listing.of(root, ImageFolderLoader.classFolders(root), warnings);
      IndexSplit split = Splits.byFraction(all.labels(), all.classes().size(), o.testFraction(), o.seed());
      train = all.pick(split.kept());
      test = all.pick(split.heldOut());
    }
    train = train.limit(o.trainVideos(), o.seed(), "training");
    test = test.limit(o.testVideos(), Seeds.mix(o.seed(), 1), "test");
    ImageDataset trainSet = clips(train, o, 1, true, warnings, trainDir);
    ImageDataset testSet = clips(test, o, o.testClips(), false, warnings, testDir == null ? root : testDir);
    return new DatasetPair(trainSet, testSet, warnings, o.testClips() * o.testCrops());
  }

  /** Video files and their labels. */
  private record Listing(List<String> classes, List<Path> files, int[] labels, Path dir) {
    static Listing of(Path dir, List<String> classes, List<String> warnings) {
      List<Path> files = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      for (int c = 0; c < classes.size(); c++) {
        Path classDir = dir.resolve(classes.get(c));
        if (!Files.isDirectory(classDir)) {
          continue;
        }
        List<Path> videos = ImageFolderLoader.mediaFiles(classDir, EXTENSIONS);
        if (videos.isEmpty()) {
          warnings.add(classDir + ": no videos for class '" + classes.get(c) + "'");
        }
        for (Path p : videos) {
          files.add(p);
          labels.add(c);
        }
      }
      return new Listing(classes, files, labels.stream().mapToInt(Integer::intValue).toArray(), dir);
    }

    Listing pick(int[] indices) {
      List<Path> f = new ArrayList<>();
      int[] l = new int[indices.length];
      for (int i = 0; i < indices.length; i++) {
        f.add(files.get(indices[i]));
        l[i] = labels[indices[i]];
      }
      return new Listing(classes, f, l, dir);
    }

    Listing limit(int count, long seed, String part) {
      if (count == 0 || count == files.size()) {
        return this;
      }
      if (count > files.size()) {
        throw new DatasetException("asked for " + count + " " + part + " videos but " + dir + " has only "
            + files.size());
      }
      return pick(Splits.byCount(labels, classes.size(), count, seed).heldOut());
    }
  }

  /** Either a decoded video or why it could not be read. */
  record Decoded(DecodedVideo video, String problem) {}

  private static ImageDataset clips(Listing l, Options o, int perVideo, boolean training, List<String> warnings,
      Path dir) {
    int n = l.files().size();
    int views = training ? perVideo : perVideo * o.testCrops();
    ImageDataset.checkFits((long) n * views, o.clip());
    ClipSampler sampler = o.sampler();
    long seed = Seeds.mix(o.seed(), training ? 2 : 3);
    // Each video is decoded, cut and dropped on its own, so only a few are in memory at once.
    byte[][][] cut = new byte[n][][];
    String[] problems = new String[n];
    IntStream.range(0, n).parallel().forEach(i -> {
      Decoded d = decode(l.files().get(i), o.clip().channels(), o.shortSide());
      if (d.video() == null) {
        problems[i] = d.problem();
        return;
      }
      cut[i] = training
          ? new byte[][] {sampler.trainClip(d.video(), Seeds.random(seed, i))}
          : sampler.testClips(d.video(), perVideo, o.testCrops()).toArray(new byte[0][]);
    });
    List<String> skipped = new ArrayList<>();
    int ok = 0;
    for (int i = 0; i < n; i++) {
      if (cut[i] == null) {
        skipped.add(problems[i]);
      } else {
        ok++;
      }
    }
    ImageFolderLoader.skipWarning(dir, skipped, "video").ifPresent(warnings::add);
    int size = (int) o.clip().numel();
    byte[] pixels = new byte[ok * views * size];
    int[] labels = new int[ok * views];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (cut[i] == null) {
        continue;
      }
      for (byte[] clip : cut[i]) {
        System.arraycopy(clip, 0, pixels, k * size, size);
        labels[k++] = l.labels()[i];
      }
    }
    return ImageDataset.of(o.clip(), pixels, labels, l.classes());
  }

  /** Longest video accepted, in frames (an hour at 25 fps), read from the header before decoding. */
  static final int MAX_FRAMES = 90_000;

  /** All frames of {@code file}, resized to short side {@code shortSide}, or the reason it failed. */
  static Decoded decode(Path file, int channels, int shortSide) {
    List<byte[]> frames = new ArrayList<>();
    int[] size = null;
    Resampler resampler = null;
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      g.start();
      long w = g.getImageWidth();
      long h = g.getImageHeight();
      if (w * h > ImageFolderLoader.MAX_PIXELS) {
        return new Decoded(null, file.getFileName() + " (" + w + "x" + h + " frames by its header, more than the "
            + ImageFolderLoader.MAX_PIXELS + " pixels accepted; not decoded)");
      }
      if (g.getLengthInFrames() > MAX_FRAMES) {
        return new Decoded(null, file.getFileName() + " (" + g.getLengthInFrames() + " frames by its header, more "
            + "than the " + MAX_FRAMES + " accepted; not decoded)");
      }
      Frame f;
      while ((f = g.grabImage()) != null) {
        // The grabber converts to packed BGR24, 3 bytes a pixel; imageChannels is not checked
        // because JavaCV derives it from the padded row stride.
        if (f.image == null || f.imageDepth != Frame.DEPTH_UBYTE || f.imageStride < 3 * f.imageWidth) {
          continue;
        }
        if (size == null) {
          size = resized(f.imageHeight, f.imageWidth, shortSide);
          resampler = new Resampler(f.imageHeight, f.imageWidth, size[0], size[1]);
        } else if (resampler.sourceHeight() != f.imageHeight || resampler.sourceWidth() != f.imageWidth) {
          return new Decoded(null, file.getFileName() + " (frame size changes mid-stream)");
        }
        if (frames.size() >= MAX_FRAMES) {
          return new Decoded(null, file.getFileName() + " (more than " + MAX_FRAMES + " frames; not decoded)");
        }
        frames.add(toPixels(f, channels, resampler));
      }
      g.stop();
    } catch (Exception e) {
      // FFmpeg reports unreadable, truncated or unsupported files through exceptions; any of them
      // only means this one file is unusable.
      return new Decoded(null, file.getFileName() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    if (frames.isEmpty()) {
      return new Decoded(null, file.getFileName() + " (no video frames)");
    }
    return new Decoded(new DecodedVideo(channels, size[0], size[1], frames), null);
  }

  /** {@code h×w} scaled so the shorter side is {@code shortSide}, the other rounded to keep the aspect ratio. */
  static int[] resized(int h, int w, int shortSide) {
    return h <= w
        ? new int[] {shortSide, Math.max(shortSide, (int) Math.round((double) w * shortSide / h))}
        : new int[] {Math.max(shortSide, (int) Math.round((double) h * shortSide / w)), shortSide};
  }

  /** One BGR24 frame as {@code channels×h×w} bytes (RGB order, or BT.601 luma), resized. */
  private static byte[] toPixels(Frame f, int channels, Resampler resampler) {
    int h = f.imageHeight;
    int w = f.imageWidth;
    ByteBuffer buf = (ByteBuffer) f.image[0];
    float[][] rgb = new float[3][h * w];
    for (int y = 0; y < h; y++) {
      int row = y * f.imageStride;
      for (int x = 0; x < w; x++) {
        int at = row + 3 * x;
        rgb[2][y * w + x] = buf.get(at) & 0xff;
        rgb[1][y * w + x] = buf.get(at + 1) & 0xff;
        rgb[0][y * w + x] = buf.get(at + 2) & 0xff;
      }
    }
    float[][] planes = rgb;
    if (channels == 1) {
      float[] luma = new float[h * w];
      for (int k = 0; k < luma.length; k++) {
        luma[k] = 0.299f * rgb[0][k] + 0.587f * rgb[1][k] + 0.114f * rgb[2][k];
      }
      planes = new float[][] {luma};
    }
    int plane = resampler.targetHeight() * resampler.targetWidth();
    byte[] out = new byte[channels * plane];
    for (int c = 0; c < channels; c++) {
      float[] p = resampler.resize(planes[c]);
      for (int k = 0; k < plane; k++) {
        out[c * plane + k] = (byte) Math.max(0, Math.min(255, Math.round(p[k])));
      }
    }
    return out;
  }
}
