package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a folder of images with one sub-folder per class; classes are the sub-folder names in
 * sorted order (as torchvision's ImageFolder). Images (png, jpg/jpeg, bmp, gif, tif/tiff, found
 * at any depth below the class folder, visited in sorted path order) are decoded with
 * javax.imageio, converted to RGB or to grayscale (ITU-R BT.601 luma; grayscale files keep their
 * stored values) with any alpha ignored, and resized to the requested size with
 * {@link Resampler}: area averaging when shrinking, bilinear when enlarging.
 *
 * <p>If the folder has {@code train/} and {@code test/} (or {@code val/}, {@code validation/})
 * sub-folders, those are the split and the class list comes from {@code train/}; otherwise all
 * images are split by a test fraction, stratified and deterministic by seed ({@link Splits}).
 * Files that cannot be decoded are skipped and reported in {@link DatasetPair#warnings()}.
 */
public final class ImageFolderLoader {
  private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");
  static final List<String> TEST_FOLDERS = List.of("test", "val", "validation");
  private static final int LISTED_SKIPS = 10;

  private ImageFolderLoader() {}

  /**
   * Loads {@code root} as images of {@code shape} (1 or 3 channels).
   *
   * @param testFraction share of each class held out for testing when there are no split folders
   */
  public static DatasetPair load(Path root, FeatureShape shape, double testFraction, long seed) {
    if (shape.rank() != 2 || (shape.channels() != 1 && shape.channels() != 3)) {
      throw new DatasetException("image folders load as 1×H×W (grayscale) or 3×H×W (RGB), not " + shape);
    }
    if (!Files.isDirectory(root)) {
      throw new DatasetException(root, "image folder not found");
    }
    Path trainDir = root.resolve("train");
    Path testDir = TEST_FOLDERS.stream().map(root::resolve).filter(Files::isDirectory).findFirst().orElse(null);
    List<String> warnings = new ArrayList<>();
    if (Files.isDirectory(trainDir) && testDir != null) {
      List<String> classes = classFolders(trainDir);
      for (String c : classFolders(testDir)) {
        if (!classes.contains(c)) {
          throw new DatasetException(testDir.resolve(c), "class folder has no counterpart in " + trainDir);
        }
      }
      ImageDataset train = read(trainDir, classes, shape, warnings);
      ImageDataset test = read(testDir, classes, shape, warnings);
      return new DatasetPair(train, test, warnings);
    }
    if (!(testFraction >= 0 && testFraction <= 1)) {
      throw new DatasetException("test fraction must be in [0, 1], got " + testFraction);
    }
    ImageDataset all = read(root, classFolders(root), shape, warnings);
    IndexSplit split = Splits.byFraction(all.labels(), all.numClasses(), testFraction, seed);
    return new DatasetPair(all.subset(split.kept()), all.subset(split.heldOut()), warnings);
  }

  /** The class sub-folders of {@code dir}, sorted; at least one. */
  static List<String> classFolders(Path dir) {
    List<String> names;
    try (Stream<Path> s = Files.list(dir)) {
      names = s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new DatasetException(dir, "cannot list (" + e + ")", e);
    }
    if (names.isEmpty()) {
      throw new DatasetException(dir, "no class sub-folders (expected one folder of images per class)");
    }
    return names;
  }

  private static ImageDataset read(Path dir, List<String> classes, FeatureShape shape, List<String> warnings) {
    List<Path> files = new ArrayList<>();
    List<Integer> fileLabels = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Path classDir = dir.resolve(classes.get(c));
      if (!Files.isDirectory(classDir)) {
        continue;
      }
      List<Path> images = mediaFiles(classDir, EXTENSIONS);
      if (images.isEmpty()) {
        warnings.add(classDir + ": no images for class '" + classes.get(c) + "'");
      }
      for (Path p : images) {
        files.add(p);
        fileLabels.add(c);
      }
    }
    ImageDataset.checkFits(files.size(), shape);
    // Decoding is independent per file, so a parallel pass gives the same result in any order.
    Decoded[] decoded = new Decoded[files.size()];
    IntStream.range(0, files.size()).parallel().forEach(i -> decoded[i] = decode(files.get(i), shape));

    int size = (int) shape.numel();
    int ok = 0;
    List<String> skipped = new ArrayList<>();
    for (Decoded d : decoded) {
      if (d.pixels() != null) {
        ok++;
      } else {
        skipped.add(d.problem());
      }
    }
    byte[] pixels = new byte[ok * size];
    int[] labels = new int[ok];
    int n = 0;
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i].pixels() != null) {
        System.arraycopy(decoded[i].pixels(), 0, pixels, n * size, size);
        labels[n++] = fileLabels.get(i);
      }
    }
    skipWarning(dir, skipped, "image").ifPresent(warnings::add);
    return ImageDataset.of(shape, pixels, labels, classes);
  }

  /** "dir: skipped N unreadable kind(s): first few problems", when anything was skipped. */
  static Optional<String> skipWarning(Path dir, List<String> skipped, String kind) {
    if (skipped.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(dir + ": skipped " + skipped.size() + " unreadable " + kind + "(s): "
        + String.join("; ", skipped.subList(0, Math.min(LISTED_SKIPS, skipped.size())))
        + (skipped.size() > LISTED_SKIPS ? "; ..." : ""));
  }

  /** Files below {@code classDir} (any depth, hidden ones left out) with one of {@code extensions}, sorted. */
  static List<Path> mediaFiles(Path classDir, Set<String> extensions) {
    try (Stream<Path> s = Files.walk(classDir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !hiddenBelow(classDir, p))
          .filter(p -> extensions.contains(extension(p)))
          .sorted(Comparator.comparing(p -> classDir.relativize(p).toString()))
          .collect(Collectors.toList());
    } catch (IOException | UncheckedIOException e) {
      throw new DatasetException(classDir, "cannot list (" + e + ")", e);
    }
  }

  private static boolean hiddenBelow(Path base, Path p) {
    for (Path part : base.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String extension(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Either the pixels of one image or why it could not be read. */
  private record Decoded(byte[] pixels, String problem) {}

  /**
   * Largest image accepted, in pixels, read from the file's header before decoding: a small file
   * can declare a huge image (a decompression bomb), which would take the heap.
   */
  static final long MAX_PIXELS = 40_000_000L;

  private static Decoded decode(Path file, FeatureShape shape) {
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return new Decoded(null, file.getFileName() + " (not a decodable image)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > MAX_PIXELS) {
          return new Decoded(null, file.getFileName() + " (" + w + "x" + h + " pixels by its header, more than the "
              + MAX_PIXELS + " accepted; not decoded)");
        }
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // Decoders report corrupt data through all kinds of runtime exceptions; any of them just
      // means this one file is unusable.
      return new Decoded(null, file.getFileName() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    if (image == null) {
      return new Decoded(null, file.getFileName() + " (not a decodable image)");
    }
    try {
      return new Decoded(toPixels(image, shape), null);
    } catch (RuntimeException e) {
      return new Decoded(null, file.getFileName() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  private static byte[] toPixels(BufferedImage image, FeatureShape shape) {
    int c = shape.channels();
    int h = shape.spatial(0);
    int w = shape.spatial(1);
    float[][] planes = c == 1 ? new float[][] {luma(image)} : rgb(image);
    Resampler resampler = new Resampler(image.getHeight(), image.getWidth(), h, w);
    byte[] out = new byte[c * h * w];
    for (int ch = 0; ch < c; ch++) {
      float[] plane = resampler.resize(planes[ch]);
      for (int k = 0; k < plane.length; k++) {
        out[ch * h * w + k] = (byte) Math.max(0, Math.min(255, Math.round(plane[k])));
      }
    }
    return out;
  }

  /**
   * Gray images are read from the raster: {@code getRGB} would push their linear gray through a
   * colour-space conversion and change the stored values.
   */
  private static float[] gray(BufferedImage image) {
    Raster raster = image.getRaster();
    int bits = image.getColorModel().getComponentSize(0);
    double scale = 255.0 / ((1L << bits) - 1);
    int w = image.getWidth();
    int h = image.getHeight();
    int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    float[] out = new float[w * h];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) (samples[k] * scale);
    }
    return out;
  }

  private static boolean isGray(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    return cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  private static float[] luma(BufferedImage image) {
    if (isGray(image)) {
      return gray(image);
    }
    float[][] rgb = rgb(image);
    float[] out = new float[rgb[0].length];
    for (int k = 0; k < out.length; k++) {
      out[k] = 0.299f * rgb[0][k] + 0.587f * rgb[1][k] + 0.114f * rgb[2][k];
    }
    return out;
  }

  private static float[][] rgb(BufferedImage image) {
    if (isGray(image)) {
      float[] g = gray(image);
      return new float[][] {g, g, g};
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[][] out = new float[3][w * h];
    for (int k = 0; k < argb.length; k++) {
      out[0][k] = (argb[k] >> 16) & 0xff;
      out[1][k] = (argb[k] >> 8) & 0xff;
      out[2][k] = argb[k] & 0xff;
    }
    return out;
  }
}
