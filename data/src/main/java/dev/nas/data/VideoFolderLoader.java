package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Reads a folder of videos in the UCF-101 / HMDB-51 / Kinetics layout (one sub-folder per class,
 * classes in sorted order; avi, mp4, mkv, webm, mov files at any depth below it), decoding with
 * FFmpeg through JavaCV. Every frame is converted to RGB or grayscale and resized
 * ({@link Resampler}) so that its short side is {@code 8/7} of the crop (128 for 112, as SDAS does),
 * or with a {@link ScaleJitter} the jitter's largest short side for training videos and its smallest
 * for test videos; clips are then cut with a {@link ClipSampler}: one random clip (random window,
 * scale, crop and flip; the window anywhere, or with {@link ClipWindows#ALIGNED} one of the video's
 * non-overlapping clips) per training video and epoch ({@link TrainingClips}), {@code testClips}
 * clips per test video, each centre-cropped or cut at three places along the long side
 * ({@code testCrops}), stored consecutively ({@link DatasetPair#testViews()}: temporal clips ×
 * spatial crops, as SlowFast's and PV-NAS' 10 × 3 views).
 *
 * <p>Splits are made per video before decoding, so clips of one video never land on both sides:
 * {@code train/} and {@code test/} (or {@code val/}, {@code validation/}) sub-folders when present,
 * otherwise a stratified, seeded share of the videos. Files FFmpeg cannot open or that hold no
 * video frame are skipped, counted and reported in {@link DatasetPair#warnings()}.
 *
 * <p>Training clips are drawn afresh every epoch from streams of (seed, epoch, video)
 * ({@link DatasetPair#train(int)}); {@link DatasetPair#train()} holds epoch 0's. The decoded
 * training videos are cached up to {@link Options#cacheLimit()} bytes; the rest are decoded again
 * each epoch, and a warning says how many. Test clips are cut once, deterministically.
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

  /**
   * What to load and how to cut it; counts of 0 mean all videos.
   *
   * @param scaleJitter short sides of training clips, or null for {@code 8/7} of the crop for all clips
   * @param cacheBytes most bytes of decoded training videos kept between epochs (0: a quarter of the
   *     Java heap's maximum, {@link Runtime#maxMemory()})
   * @param windows where training windows may start (null: {@link ClipWindows#ANY})
   */
  public record Options(FeatureShape clip, int stride, int testClips, double testFraction, int trainVideos,
      int testVideos, long seed, int testCrops, ScaleJitter scaleJitter, long cacheBytes, ClipWindows windows) {
    /** Options without scale jitter and with the default cache. */
    public Options(FeatureShape clip, int stride, int testClips, double testFraction, int trainVideos, int testVideos,
        long seed, int testCrops) {
      this(clip, stride, testClips, testFraction, trainVideos, testVideos, seed, testCrops, null, 0, ClipWindows.ANY);
    }

    /** Options whose training windows start at any frame. */
    public Options(FeatureShape clip, int stride, int testClips, double testFraction, int trainVideos, int testVideos,
        long seed, int testCrops, ScaleJitter scaleJitter, long cacheBytes) {
      this(clip, stride, testClips, testFraction, trainVideos, testVideos, seed, testCrops, scaleJitter, cacheBytes,
          ClipWindows.ANY);
    }

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
      if (cacheBytes < 0) {
        throw new DatasetException("the clip cache's size must not be negative, got " + cacheBytes);
      }
      if (scaleJitter != null) {
        scaleJitter.checkCrop(clip.spatial(1));
      }
      windows = windows == null ? ClipWindows.ANY : windows;
    }

    ClipSampler sampler() {
      return new ClipSampler(clip.spatial(0), stride, clip.spatial(1), windows);
    }

    /** Short side frames are resized to without jitter: 8/7 of the crop, rounded. */
    int shortSide() {
      return (int) Math.round(clip.spatial(1) * 8.0 / 7.0);
    }

    /** Short side training videos are decoded at: the largest a clip can have. */
    int trainSide() {
      return scaleJitter == null ? shortSide() : scaleJitter.max();
    }

    /** Short side test videos are decoded and cut at. */
    int testSide() {
      return scaleJitter == null ? shortSide() : scaleJitter.min();
    }

    /** Most bytes of decoded training videos cached between epochs. */
    public long cacheLimit() {
      return cacheBytes > 0 ? cacheBytes : Runtime.getRuntime().maxMemory() / 4;
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
    Path listed = Files.isDirectory(trainDir) && testDir != null ? trainDir : root;
    TrainingClips.Loaded trainSet = trainingClips(train, o, warnings, listed);
    ImageDataset testSet = testClips(test, o, warnings, testDir == null ? root : testDir);
    return new DatasetPair(trainSet.first(), testSet, warnings, o.testClips() * o.testCrops(), trainSet.clips());
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

  /**
   * Decodes every training video once at {@link Options#trainSide()}, cuts its epoch-0 clip and keeps
   * it in the cache while the cache has room.
   */
  private static TrainingClips.Loaded trainingClips(Listing l, Options o, List<String> warnings, Path dir) {
    int n = l.files().size();
    ImageDataset.checkFits(n, o.clip());
    ClipSampler sampler = o.sampler();
    long seed = Seeds.mix(o.seed(), 2);
    byte[][] first = new byte[n][];
    DecodedVideo[] cache = new DecodedVideo[n];
    String[] problems = new String[n];
    AtomicLong room = new AtomicLong(o.cacheLimit());
    AtomicLong decodedBytes = new AtomicLong();
    IntStream.range(0, n).parallel().forEach(i -> {
      Decoded d = decode(l.files().get(i), o.clip().channels(), o.trainSide());
      if (d.video() == null) {
        problems[i] = d.problem();
        return;
      }
      first[i] = sampler.trainClip(d.video(), o.scaleJitter(), TrainingClips.stream(seed, 0, i));
      long bytes = d.video().bytes();
      decodedBytes.addAndGet(bytes);
      if (room.addAndGet(-bytes) >= 0) {
        cache[i] = d.video();
      } else {
        room.addAndGet(bytes);
      }
    });
    List<String> skipped = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (first[i] == null) {
        skipped.add(problems[i]);
      } else {
        files.add(l.files().get(i));
        kept.add(i);
      }
    }
    ImageFolderLoader.skipWarning(dir, skipped, "video").ifPresent(warnings::add);
    int[] streams = kept.stream().mapToInt(Integer::intValue).toArray();
    int[] labels = new int[streams.length];
    byte[][] clips = new byte[streams.length][];
    DecodedVideo[] cached = new DecodedVideo[streams.length];
    for (int k = 0; k < streams.length; k++) {
      labels[k] = l.labels()[streams[k]];
      clips[k] = first[streams[k]];
      cached[k] = cache[streams[k]];
    }
    TrainingClips result = new TrainingClips(o.clip(), sampler, o.scaleJitter(), o.trainSide(), seed, files, streams,
        labels, cached, l.classes());
    int uncached = result.size() - result.cachedVideos();
    if (uncached > 0) {
      warnings.add(String.format(Locale.ROOT, "%s: %d of %d training videos do not fit the %d MiB clip cache (%d MiB "
          + "decoded in all); they are decoded again every epoch, which is slower; a larger Java heap (-Xmx; the cache "
          + "is a quarter of it) keeps them", dir, uncached, result.size(), o.cacheLimit() >> 20,
          decodedBytes.get() >> 20));
    }
    return new TrainingClips.Loaded(result, TrainingClips.assemble(o.clip(), clips, labels, l.classes()));
  }

  /** Decodes every test video at {@link Options#testSide()} and cuts its evenly spread views; nothing is kept. */
  private static ImageDataset testClips(Listing l, Options o, List<String> warnings, Path dir) {
    int n = l.files().size();
    int views = o.testClips() * o.testCrops();
    ImageDataset.checkFits((long) n * views, o.clip());
    ClipSampler sampler = o.sampler();
    // Each video is decoded, cut and dropped on its own, so only a few are in memory at once.
    byte[][][] cut = new byte[n][][];
    String[] problems = new String[n];
    IntStream.range(0, n).parallel().forEach(i -> {
      Decoded d = decode(l.files().get(i), o.clip().channels(), o.testSide());
      if (d.video() == null) {
        problems[i] = d.problem();
        return;
      }
      cut[i] = sampler.testClips(d.video(), o.testClips(), o.testCrops()).toArray(new byte[0][]);
    });
    List<String> skipped = new ArrayList<>();
    List<byte[]> clips = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (cut[i] == null) {
        skipped.add(problems[i]);
        continue;
      }
      for (byte[] clip : cut[i]) {
        clips.add(clip);
        labels.add(l.labels()[i]);
      }
    }
    ImageFolderLoader.skipWarning(dir, skipped, "video").ifPresent(warnings::add);
    return TrainingClips.assemble(o.clip(), clips.toArray(new byte[0][]),
        labels.stream().mapToInt(Integer::intValue).toArray(), l.classes());
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
