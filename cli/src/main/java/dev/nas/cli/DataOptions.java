package dev.nas.cli;

import dev.nas.core.graph.FeatureShape;
import dev.nas.core.ops.SearchSpace;
import dev.nas.data.ClipWindows;
import dev.nas.data.DatasetException;
import dev.nas.data.Datasets;
import dev.nas.data.ScaleJitter;
import dev.nas.data.SyntheticMotion;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.Options;

/** The dataset options shared by search, train and pipeline. */
final class DataOptions {
  /** Data sets of clips (C×T×H×W samples); the others hold images (C×H×W). */
  static final List<String> CLIPS = List.of("synthetic-video", "video-folder");

  private DataOptions() {}

  static void add(Options o) {
    o.addOption(Command.opt("dataset", "NAME", "synthetic (default), fashion-mnist, mnist, cifar10, cifar100, "
        + "image-folder, or clips: synthetic-video (motion-labelled moving shapes) or video-folder (one sub-folder of "
        + ".avi/.mp4 files per class)"));
    o.addOption(Command.opt("data-dir", "DIR", "folder of the dataset's files (not needed for synthetic data)"));
    o.addOption(Command.opt("input", "SHAPE", "sample size of synthetic data and folders: CxHxW for images (default "
        + "3x32x32), CxTxHxW for clips (default 3x8x32x32); a leading batch of 1 may be written"));
    o.addOption(Command.opt("frames", "T", "clip datasets: frames per clip (default 8)"));
    o.addOption(Command.opt("size", "H", "clip datasets: frame height and width (square; default 32)"));
    o.addOption(Command.opt("classes", "K", "classes of the synthetic dataset (default 10; synthetic-video 4, at "
        + "most " + SyntheticMotion.MAX_CLASSES + ")"));
    o.addOption(Command.opt("train-samples", "N", "training samples to use (synthetic: to generate; video-folder: "
        + "videos; default all / 10000, synthetic-video 2000)"));
    o.addOption(Command.opt("test-samples", "N", "test samples to use (synthetic: to generate; video-folder: videos; "
        + "default all / 2000, synthetic-video 500)"));
  }

  /** {@code --clips} and {@code --test-crops}, for the commands that evaluate on the test set. */
  static void addClips(Options o) {
    o.addOption(Command.opt("clips", "N", "video-folder: clips sampled per test video, whose softmax scores are "
        + "averaged per video (default 3)"));
    o.addOption(Command.opt("test-crops", "N", TEST_CROPS_HELP));
  }

  /** What {@code --test-crops} (and the pipeline's {@code --train-test-crops}) does. */
  static final String TEST_CROPS_HELP = "spatial crops per test sample, softmax averaged: 1 (default: centre / the "
      + "image as is); video-folder clips 3 (both ends and the centre of the long side; a video is scored over clips × "
      + "crops views); images 5 (the four corners and the centre of the image zero-padded by the training crop's "
      + "padding, 1/8 of its side) or 10 (those and their mirror images, the standard 10-crop)";

  /** {@code --frame-stride}, for the commands that read clips. */
  static void addFrameStride(Options o) {
    o.addOption(Command.opt("frame-stride", "N", "video-folder: frame step inside a clip's window (default 2: T "
        + "frames span 2T; SDAS takes consecutive frames, 1)"));
  }

  /** {@code --clip-windows}, for the commands that train on clips. */
  static void addClipWindows(Options o) {
    o.addOption(Command.opt("clip-windows", "W", "video-folder: where a training clip's window (T × --frame-stride "
        + "frames) starts: any (default) frame, or aligned, at multiples of its length, so the windows are the video's "
        + "non-overlapping clips (SDAS)"));
  }

  /** {@code --clip-windows any|aligned}; {@code def} when absent. */
  static ClipWindows clipWindows(Args a, ClipWindows def) {
    if (!a.has("clip-windows")) {
      return def;
    }
    try {
      return ClipWindows.parse(a.str("clip-windows", null));
    } catch (DatasetException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** {@code --scale-jitter}, for the commands that train on clips. */
  static void addScaleJitter(Options o) {
    o.addOption(Command.opt("scale-jitter", "MIN,MAX", "video-folder: resize each training clip's short side to a "
        + "random size in [MIN, MAX] before the random crop, and test clips' to MIN (default: 8/7 of the crop for all;"
        + " PV-NAS: 128,164 in search, 256,320 before a 224 crop in retraining)"));
  }

  /** {@code --scale-jitter MIN,MAX}; {@code def} when absent. */
  static ScaleJitter scaleJitter(Args a, ScaleJitter def) {
    if (!a.has("scale-jitter")) {
      return def;
    }
    List<Integer> sides = a.integers("scale-jitter", null);
    if (sides.size() != 2) {
      throw new UsageException("--scale-jitter expects MIN,MAX (two short sides in pixels), got '"
          + a.str("scale-jitter", null) + "'");
    }
    try {
      return new ScaleJitter(sides.get(0), sides.get(1));
    } catch (DatasetException e) {
      throw new UsageException("--" + e.getMessage());
    }
  }

  /** Whether {@code dataset} (canonical name) holds clips rather than images. */
  static boolean clips(String dataset) {
    return CLIPS.contains(dataset);
  }

  /** The canonical dataset name; an unknown one is a usage error listing the known names. */
  static String dataset(Args a, String def) {
    String name = Datasets.canonical(a.str("dataset", def));
    if (!Datasets.NAMES.contains(name)) {
      throw new UsageException("unknown --dataset '" + name + "' (known: " + String.join(", ", Datasets.NAMES) + ")");
    }
    if (!clips(name) && (a.has("frames") || a.has("size") || a.has("clips") || a.has("frame-stride")
        || a.has("scale-jitter") || a.has("clip-windows"))) {
      throw new UsageException("--frames, --size, --clips, --frame-stride, --scale-jitter and --clip-windows apply to "
          + "clip datasets ("
          + String.join(", ", CLIPS)
          + "); --dataset " + name + " holds images, whose size is --input CxHxW");
    }
    return name;
  }

  /**
   * The sample size to store ({@link FeatureShape#toString()} form): {@code --input} read at the
   * dataset's rank, for clips with {@code --frames} and {@code --size} applied to it (or to
   * {@code def}, or to the default clip size); {@code def} when nothing is given.
   */
  static String input(Args a, String dataset, String def) {
    boolean clips = clips(dataset);
    FeatureShape shape = a.has("input") ? a.shape("input", clips ? FeatureShape.CLIP : FeatureShape.IMAGE) : null;
    if (!clips || !(a.has("frames") || a.has("size"))) {
      return shape != null ? shape.toString() : def;
    }
    if (shape != null) {
      throw new UsageException("give the clip size either as --input CxTxHxW or as --frames T --size H, not both");
    }
    FeatureShape base = def != null ? FeatureShape.parseSample(def) : SyntheticMotion.DEFAULT_SHAPE;
    if (base.rank() != FeatureShape.CLIP) {
      base = SyntheticMotion.DEFAULT_SHAPE;
    }
    int frames = a.integer("frames", base.spatial(0));
    int size = a.integer("size", base.spatial(1));
    if (frames < 1 || size < 1) {
      throw new UsageException("--frames and --size must be positive");
    }
    return FeatureShape.of(base.channels(), frames, size, size).toString();
  }

  /** {@code --classes}, with the synthetic video task's own default when the given default exceeds it. */
  static int classes(Args a, String dataset, int def) {
    if (!a.has("classes") && dataset.equals("synthetic-video") && def > SyntheticMotion.MAX_CLASSES) {
      return SyntheticMotion.DEFAULT_CLASSES;
    }
    return a.integer("classes", def);
  }

  /** {@code --clips}: test clips per video (0: the loader's default). */
  static int testClips(Args a, int def) {
    int n = a.integer("clips", def);
    if (n < 0 || (a.has("clips") && n == 0)) {
      throw new UsageException("--clips must be a positive number of test clips per video");
    }
    return n;
  }

  /**
   * Refuses a search space whose rank does not fit the data: video spaces (3-D operations on
   * N×C×T×H×W) need a clip dataset, image spaces an image dataset.
   */
  static void checkSpace(String dataset, String space) {
    SearchSpace s;
    try {
      s = SearchSpace.named(space);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (s.video() != clips(dataset)) {
      throw new UsageException("--space " + space + (s.video() ? " is a video space (3-D operations on clips)"
          : " is an image space") + " but --dataset " + dataset + " holds " + (clips(dataset) ? "clips" : "images")
          + "; use " + (clips(dataset) ? "a video space (" + spaces(true) + ") or an image dataset"
              : "an image space (" + spaces(false) + ") or a clip dataset (" + String.join(", ", CLIPS) + ")"));
    }
  }

  private static String spaces(boolean video) {
    List<String> out = new ArrayList<>();
    for (String n : SearchSpace.names()) {
      if (SearchSpace.named(n).video() == video) {
        out.add(n);
      }
    }
    return String.join(", ", out);
  }

  /** The data folder: --data-dir, or for Fashion-MNIST the Debian package's folder when it exists. */
  static String dataDir(Args a, String dataset, String def) {
    if (a.has("data-dir")) {
      return a.str("data-dir", null);
    }
    if (def == null && dataset.equals("fashion-mnist")
        && java.nio.file.Files.isDirectory(java.nio.file.Path.of(Datasets.DEBIAN_FASHION_MNIST))) {
      return Datasets.DEBIAN_FASHION_MNIST;
    }
    return def;
  }
}
