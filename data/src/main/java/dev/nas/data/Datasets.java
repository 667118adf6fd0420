package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The one entry point for loading a data set by name. */
public final class Datasets {
  /** The data set names {@link #load} knows. */
  public static final List<String> NAMES = List.of("synthetic", "fashion-mnist", "mnist", "cifar10", "cifar100",
      "image-folder", "synthetic-video", "video-folder");

  private static final FeatureShape DEFAULT_SHAPE = FeatureShape.of(3, 32, 32);
  /** Where Debian's dataset-fashion-mnist package installs the files. */
  public static final String DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

  private Datasets() {}

  /** Whether data set {@code name} gives clips (C×T×H×W samples) rather than images. */
  public static boolean clips(String name) {
    String n = canonical(name);
    return n.equals("synthetic-video") || n.equals("video-folder");
  }

  /**
   * Whether a mirror image keeps the label of data set {@code name}. Not for synthetic-video,
   * whose label is the direction of motion: flipping left-right turns "rightwards" into
   * "leftwards", so flip augmentation would teach contradicting labels.
   */
  public static boolean mirrorKeepsLabel(String name) {
    return !canonical(name).equals("synthetic-video");
  }

  /**
   * Loads the data set {@code spec} names. Names are matched ignoring case, dashes and
   * underscores ("CIFAR-10", "fashion_mnist", "ImageFolder" all work).
   *
   * @throws DatasetException for an unknown name (the message lists the known ones), missing or
   *     corrupt files, or options that do not fit the data set
   */
  public static DatasetPair load(DatasetSpec spec) {
    String name = canonical(spec.name());
    if (spec.scaleJitter() != null && !name.equals("video-folder")) {
      throw new DatasetException("scale jitter applies to video-folder clips, not to data set '" + name + "'");
    }
    if (spec.clipWindows() != ClipWindows.ANY && !name.equals("video-folder")) {
      throw new DatasetException("--clip-windows " + spec.clipWindows().id() + " applies to video-folder clips, not to "
          + "data set '" + name + "'");
    }
    DatasetPair pair = switch (name) {
      case "synthetic" -> SyntheticShapes.generatePair(
          spec.shape() == null ? DEFAULT_SHAPE : spec.shape(),
          spec.numClasses() == 0 ? SyntheticShapes.DEFAULT_CLASSES : spec.numClasses(),
          spec.trainSize() == 0 ? DatasetSpec.DEFAULT_SYNTHETIC_TRAIN : spec.trainSize(),
          spec.testSize() == 0 ? DatasetSpec.DEFAULT_SYNTHETIC_TEST : spec.testSize(),
          spec.seed());
      case "fashion-mnist" -> IdxLoader.loadFashionMnist(dataDir(spec, name,
          " (Debian's dataset-fashion-mnist package installs it in " + DEBIAN_FASHION_MNIST + ")"));
      case "mnist" -> IdxLoader.loadMnist(dataDir(spec, name, ""));
      case "cifar10" -> CifarLoader.loadCifar10(dataDir(spec, name, ""));
      case "cifar100" -> CifarLoader.loadCifar100(dataDir(spec, name, ""));
      case "image-folder" -> ImageFolderLoader.load(dataDir(spec, name, ""),
          spec.shape() == null ? DEFAULT_SHAPE : spec.shape(), spec.testFraction(), spec.seed());
      case "synthetic-video" -> SyntheticMotion.generatePair(
          spec.shape() == null ? SyntheticMotion.DEFAULT_SHAPE : spec.shape(),
          spec.numClasses() == 0 ? SyntheticMotion.DEFAULT_CLASSES : spec.numClasses(),
          spec.trainSize() == 0 ? SyntheticMotion.DEFAULT_TRAIN : spec.trainSize(),
          spec.testSize() == 0 ? SyntheticMotion.DEFAULT_TEST : spec.testSize(),
          spec.seed());
      // Sizes count videos and are applied before decoding, so limit() below must not cut clips.
      case "video-folder" -> VideoFolderLoader.load(dataDir(spec, name, ""), new VideoFolderLoader.Options(
          spec.shape() == null ? SyntheticMotion.DEFAULT_SHAPE : spec.shape(),
          spec.frameStride() == 0 ? VideoFolderLoader.DEFAULT_STRIDE : spec.frameStride(),
          spec.testClips() == 0 ? VideoFolderLoader.DEFAULT_TEST_CLIPS : spec.testClips(), spec.testFraction(),
          spec.trainSize(), spec.testSize(), spec.seed(), spec.testCrops() == 0 ? 1 : spec.testCrops(),
          spec.scaleJitter(), 0, spec.clipWindows()));
      default -> throw new DatasetException("unknown data set '" + spec.name() + "'; known: "
          + String.join(", ", NAMES));
    };
    if (name.equals("synthetic") || name.equals("synthetic-video")) {
      return pair;
    }
    check(spec, name, pair);
    return name.equals("video-folder") ? pair : limit(pair, spec);
  }

  /** The {@link #NAMES} entry {@code name} refers to, or {@code name} itself when none does. */
  public static String canonical(String name) {
    String key = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").trim();
    for (String known : NAMES) {
      if (known.replace("-", "").equals(key)) {
        return known;
      }
    }
    return name;
  }

  private static Path dataDir(DatasetSpec spec, String name, String hint) {
    if (spec.dataDir() == null) {
      throw new DatasetException("data set '" + name + "' needs a data directory" + hint);
    }
    return spec.dataDir();
  }

  private static void check(DatasetSpec spec, String name, DatasetPair pair) {
    FeatureShape actual = pair.train().shape();
    if (spec.shape() != null && !spec.shape().equals(actual)) {
      throw new DatasetException("data set '" + name + "' has images of " + actual + ", not " + spec.shape()
          + (name.equals("image-folder") ? "" : " (only synthetic and folder data can be resized)"));
    }
    if (spec.numClasses() != 0 && spec.numClasses() != pair.train().numClasses()) {
      throw new DatasetException("data set '" + name + "' has " + pair.train().numClasses() + " classes, not "
          + spec.numClasses());
    }
  }

  private static DatasetPair limit(DatasetPair pair, DatasetSpec spec) {
    ImageDataset train = subset(pair.train(), spec.trainSize(), spec.seed(), "training");
    ImageDataset test = subset(pair.test(), spec.testSize(), Seeds.mix(spec.seed(), 1), "test");
    return new DatasetPair(train, test, pair.warnings());
  }

  private static ImageDataset subset(ImageDataset data, int size, long seed, String part) {
    if (size == 0 || size == data.size()) {
      return data;
    }
    if (size > data.size()) {
      throw new DatasetException("asked for " + size + " " + part + " samples but the data set has only "
          + data.size());
    }
    IndexSplit split = Splits.byCount(data.labels(), data.numClasses(), size, seed);
    return data.subset(split.heldOut());
  }
}
