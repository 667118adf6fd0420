package dev.nas.cli;

import dev.nas.data.Datasets;
import org.apache.commons.cli.Options;

/** The dataset options shared by search, train and pipeline. */
final class DataOptions {
  /** Clip datasets, loadable by {@link Datasets} but not yet by the commands. */
  private static final java.util.List<String> VIDEO = java.util.List.of("synthetic-video", "video-folder");

  private DataOptions() {}

  static void add(Options o) {
    o.addOption(Command.opt("dataset", "NAME", "synthetic (default), fashion-mnist, mnist, cifar10, cifar100 or "
        + "image-folder"));
    o.addOption(Command.opt("data-dir", "DIR", "folder of the dataset's files (not needed for synthetic)"));
    o.addOption(Command.opt("input", "CxHxW", "input size for synthetic data and folders (default 3x32x32)"));
    o.addOption(Command.opt("classes", "K", "classes of the synthetic dataset (default 10)"));
    o.addOption(Command.opt("train-samples", "N", "training samples to use (synthetic: to generate; default all / "
        + "10000)"));
    o.addOption(Command.opt("test-samples", "N", "test samples to use (synthetic: to generate; default all / 2000)"));
  }

  /** The canonical dataset name; an unknown one is a usage error listing the known names. */
  static String dataset(Args a, String def) {
    String name = Datasets.canonical(a.str("dataset", def));
    if (!Datasets.NAMES.contains(name)) {
      throw new UsageException("unknown --dataset '" + name + "' (known: " + String.join(", ", Datasets.NAMES) + ")");
    }
    if (VIDEO.contains(name)) {
      throw new UsageException("--dataset " + name + " gives video clips, which nas search, train and pipeline do not "
          + "take yet (the video macros and clip search are still to come); it loads through the Java API, "
          + "dev.nas.data.Datasets");
    }
    return name;
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
