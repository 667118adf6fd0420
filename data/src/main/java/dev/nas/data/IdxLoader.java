package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads MNIST-style IDX files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-...}), plain or gzipped (recognised by content, not name), from a folder or its
 * {@code raw/} sub-folder (torchvision's layout). The dotted spelling
 * {@code train-images.idx3-ubyte} some mirrors use is accepted too. Headers are checked against
 * the file sizes, so a truncated download fails with a message instead of garbage.
 *
 * <p>Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST in
 * {@code /usr/share/datasets/fashion-mnist}.
 */
public final class IdxLoader {
  /** Fashion-MNIST's classes, by label. */
  public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** MNIST's classes: the digits. */
  public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private IdxLoader() {}

  public static DatasetPair loadFashionMnist(Path dir) {
    return load(dir, FASHION_MNIST_CLASSES);
  }

  public static DatasetPair loadMnist(Path dir) {
    return load(dir, MNIST_CLASSES);
  }

  /** Loads the train and t10k image/label pairs in {@code dir}, naming classes {@code classNames}. */
  public static DatasetPair load(Path dir, List<String> classNames) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir, "data folder not found");
    }
    ImageDataset train = loadPart(dir, "train", classNames);
    ImageDataset test = loadPart(dir, "t10k", classNames);
    if (!train.shape().equals(test.shape())) {
      throw new DatasetException(dir, "training images are " + train.shape() + " but test images are " + test.shape());
    }
    return new DatasetPair(train, test);
  }

  private static ImageDataset loadPart(Path dir, String prefix, List<String> classNames) {
    Path images = locate(dir, prefix + "-images", "idx3-ubyte");
    Path labels = locate(dir, prefix + "-labels", "idx1-ubyte");
    return read(images, labels, classNames);
  }

  /** Reads one image file and its label file; labels must be below {@code classNames.size()}. */
  public static ImageDataset read(Path imagesFile, Path labelsFile, List<String> classNames) {
    byte[] img = DataFiles.readMaybeGzipped(imagesFile);
    int[] header = header(imagesFile, img, IMAGES_MAGIC, 3);
    int count = header[0];
    int rows = header[1];
    int cols = header[2];
    FeatureShape shape = FeatureShape.of(1, rows, cols);
    checkLength(imagesFile, img.length, 16, (long) count * rows * cols,
        count + " images of " + rows + "×" + cols);
    ImageDataset.checkFits(count, shape);

    byte[] lab = DataFiles.readMaybeGzipped(labelsFile);
    int labelCount = header(labelsFile, lab, LABELS_MAGIC, 1)[0];
    checkLength(labelsFile, lab.length, 8, labelCount, labelCount + " labels");
    if (labelCount != count) {
      throw new DatasetException(labelsFile, "has " + labelCount + " labels but " + imagesFile.getFileName()
          + " has " + count + " images");
    }
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = lab[8 + i] & 0xff;
      if (labels[i] >= classNames.size()) {
        throw new DatasetException(labelsFile, "label " + i + " is " + labels[i] + ", but there are only "
            + classNames.size() + " classes");
      }
    }
    byte[] pixels = new byte[count * rows * cols];
    System.arraycopy(img, 16, pixels, 0, pixels.length);
    return ImageDataset.of(shape, pixels, labels, classNames);
  }

  private static Path locate(Path dir, String stem, String kind) {
    List<String> names = new ArrayList<>();
    for (String base : List.of(stem + "-" + kind, stem + "." + kind)) {
      names.add(base);
      names.add(base + ".gz");
    }
    Path found = DataFiles.findFirst(List.of(dir, dir.resolve("raw")), names);
    if (found == null) {
      throw new DatasetException(dir, "missing " + stem + "-" + kind + " (or .gz); looked for " + names
          + " here and in raw/");
    }
    return found;
  }

  // Returns the dimension sizes after checking the magic number (unsigned-byte data, `dims` dims).
  private static int[] header(Path file, byte[] data, int magic, int dims) {
    int headerSize = 4 + 4 * dims;
    if (data.length < headerSize) {
      throw new DatasetException(file, "only " + data.length + " bytes; too short for an IDX header");
    }
    int found = readInt(data, 0);
    if (found != magic) {
      throw new DatasetException(file, String.format("not an IDX %s file: magic number 0x%08X, expected 0x%08X",
          dims == 1 ? "label" : "image", found, magic));
    }
    int[] sizes = new int[dims];
    for (int d = 0; d < dims; d++) {
      sizes[d] = readInt(data, 4 + 4 * d);
      if (sizes[d] < 0 || (d > 0 && sizes[d] == 0)) {
        throw new DatasetException(file, "invalid dimension " + d + " in IDX header: " + sizes[d]);
      }
    }
    return sizes;
  }

  private static void checkLength(Path file, long actual, int headerSize, long body, String what) {
    long expected = headerSize + body;
    if (actual != expected) {
      throw new DatasetException(file, "header promises " + what + " (" + expected + " bytes) but the data is "
          + actual + " bytes" + (actual < expected ? " (truncated?)" : ""));
    }
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }
}
