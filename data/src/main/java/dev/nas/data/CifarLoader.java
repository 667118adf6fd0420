package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 and CIFAR-100 "binary version" files. A CIFAR-10 record is one label byte
 * then 3072 pixel bytes (the red, green and blue 32×32 planes, already C×H×W); a CIFAR-100 record
 * has a coarse and a fine label byte before the pixels, and the fine (100-class) label is used.
 * The folder given may be the one holding the {@code .bin} files or its parent holding the
 * unpacked archive's folder ({@code cifar-10-batches-bin}, {@code cifar-100-binary}).
 */
public final class CifarLoader {
  /** CIFAR-10's classes, by label, used when {@code batches.meta.txt} is absent. */
  public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
      "dog", "frog", "horse", "ship", "truck");

  /** CIFAR-100's fine classes, by label, used when {@code fine_label_names.txt} is absent. */
  public static final List<String> CIFAR100_CLASSES = List.of("apple", "aquarium_fish", "baby", "bear",
      "beaver", "bed", "bee", "beetle", "bicycle", "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel",
      "can", "castle", "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch",
      "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox", "girl",
      "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster",
      "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter",
      "palm_tree", "pear", "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine", "possum",
      "rabbit", "raccoon", "ray", "road", "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk",
      "skyscraper", "snail", "snake", "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table",
      "tank", "telephone", "television", "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe",
      "whale", "willow_tree", "wolf", "woman", "worm");

  private static final FeatureShape SHAPE = FeatureShape.of(3, 32, 32);
  private static final int PIXELS = 3 * 32 * 32;

  private CifarLoader() {}

  /** Loads {@code data_batch_1..5.bin} as the training set and {@code test_batch.bin} as the test set. */
  public static DatasetPair loadCifar10(Path dir) {
    Path root = resolve(dir, "cifar-10-batches-bin", "data_batch_1.bin");
    List<Path> trainFiles = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      trainFiles.add(require(root, "data_batch_" + i + ".bin"));
    }
    Path testFile = require(root, "test_batch.bin");
    List<String> names = classNames(root.resolve("batches.meta.txt"), CIFAR10_CLASSES);
    Format format = new Format("CIFAR-10", 1, 0, 0);
    return new DatasetPair(read(trainFiles, format, names), read(List.of(testFile), format, names));
  }

  /** Loads {@code train.bin} and {@code test.bin} with their fine labels. */
  public static DatasetPair loadCifar100(Path dir) {
    Path root = resolve(dir, "cifar-100-binary", "train.bin");
    Path trainFile = require(root, "train.bin");
    Path testFile = require(root, "test.bin");
    List<String> names = classNames(root.resolve("fine_label_names.txt"), CIFAR100_CLASSES);
    Format format = new Format("CIFAR-100", 2, 1, 20);
    return new DatasetPair(read(List.of(trainFile), format, names), read(List.of(testFile), format, names));
  }

  /**
   * A record layout: {@code labelBytes} leading label bytes, of which {@code labelAt} is the class
   * label; a CIFAR-100 coarse label (byte 0) must be below {@code coarseClasses} (0 = none).
   */
  private record Format(String name, int labelBytes, int labelAt, int coarseClasses) {
    int recordSize() {
      return labelBytes + PIXELS;
    }
  }

  private static ImageDataset read(List<Path> files, Format format, List<String> classNames) {
    // Sizes are checked before anything is read, and files are then read one at a time, so a bad
    // last batch fails fast and memory peaks at the pixels plus one file.
    long total = 0;
    for (Path f : files) {
      long bytes = DataFiles.size(f);
      if (bytes == 0 || bytes % format.recordSize() != 0) {
        throw new DatasetException(f, bytes + " bytes is not a whole number of " + format.recordSize()
            + "-byte " + format.name() + " records (truncated, or not a " + format.name() + " binary file)");
      }
      total += bytes / format.recordSize();
    }
    ImageDataset.checkFits(total, SHAPE);
    byte[] pixels = new byte[(int) total * PIXELS];
    int[] labels = new int[(int) total];
    int n = 0;
    for (int f = 0; f < files.size(); f++) {
      byte[] data = DataFiles.readAll(files.get(f));
      if (data.length % format.recordSize() != 0 || n + data.length / format.recordSize() > total) {
        throw new DatasetException(files.get(f), "changed while being read");
      }
      int records = data.length / format.recordSize();
      for (int r = 0; r < records; r++) {
        int at = r * format.recordSize();
        int label = data[at + format.labelAt()] & 0xff;
        if (label >= classNames.size()) {
          throw new DatasetException(files.get(f), "record " + r + " has label " + label + " but " + format.name()
              + " has " + classNames.size() + " classes (is this the right data set?)");
        }
        if (format.coarseClasses() > 0 && (data[at] & 0xff) >= format.coarseClasses()) {
          throw new DatasetException(files.get(f), "record " + r + " has coarse label " + (data[at] & 0xff)
              + " but " + format.name() + " has " + format.coarseClasses() + " coarse classes");
        }
        labels[n] = label;
        System.arraycopy(data, at + format.labelBytes(), pixels, n * PIXELS, PIXELS);
        n++;
      }
    }
    return ImageDataset.of(SHAPE, pixels, labels, classNames);
  }

  private static Path resolve(Path dir, String archiveFolder, String marker) {
    if (Files.isRegularFile(dir.resolve(marker))) {
      return dir;
    }
    Path nested = dir.resolve(archiveFolder);
    if (Files.isRegularFile(nested.resolve(marker))) {
      return nested;
    }
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir, "data folder not found");
    }
    throw new DatasetException(dir, "no " + marker + " here nor in " + archiveFolder + "/");
  }

  private static Path require(Path dir, String name) {
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new DatasetException(p, "file not found");
    }
    return p;
  }

  private static List<String> classNames(Path file, List<String> defaults) {
    if (!Files.isRegularFile(file)) {
      return defaults;
    }
    List<String> names = DataFiles.readNames(file);
    if (names.size() != defaults.size()) {
      throw new DatasetException(file, "lists " + names.size() + " class names, expected " + defaults.size());
    }
    return names;
  }
}
