package dev.nas.data;

import dev.nas.core.graph.FeatureShape;
import java.util.List;

/**
 * Labelled images or video clips held in memory: one byte per pixel value (0..255), samples laid
 * out {@code N×C×H×W} (images) or {@code N×C×T×H×W} (clips of T frames) row-major in a single
 * array, so CIFAR-10's training set takes 150 MiB rather than the 600 MiB floats would.
 * Immutable; batches are produced as floats in [0, 1] on demand by {@link #fillBatch}, 4-D or
 * 5-D following the sample shape.
 *
 * <p>One array caps a data set at about 2^31 pixel values (e.g. 42k images of 3×224×224, or 3.5k
 * clips of 3×16×112×112); larger sets are rejected at construction with a {@link DatasetException}.
 */
public final class ImageDataset {
  private static final float[] TO_UNIT = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      TO_UNIT[i] = i / 255f;
    }
  }

  private final FeatureShape shape;
  private final int sampleSize;
  private final byte[] pixels;
  private final int[] labels;
  private final List<String> classNames;

  private ImageDataset(FeatureShape shape, byte[] pixels, int[] labels, List<String> classNames) {
    this.shape = shape;
    this.sampleSize = (int) shape.numel();
    this.pixels = pixels;
    this.labels = labels;
    this.classNames = classNames;
  }

  /**
   * Wraps {@code pixels} ({@code labels.length × shape.numel()} bytes) without copying: the caller
   * hands the arrays over and must not change them afterwards.
   *
   * @throws IllegalArgumentException if the sizes disagree or a label is not a class index
   */
  public static ImageDataset of(FeatureShape shape, byte[] pixels, int[] labels, List<String> classNames) {
    if (shape.rank() != 2 && shape.rank() != 3) {
      throw new IllegalArgumentException("data sets need a C×H×W (image) or C×T×H×W (clip) shape, got " + shape);
    }
    checkFits(labels.length, shape);
    if ((long) labels.length * shape.numel() != pixels.length) {
      throw new IllegalArgumentException(labels.length + " samples of " + shape + " need "
          + labels.length * shape.numel() + " pixel values, got " + pixels.length);
    }
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("a data set needs at least one class name");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("sample " + i + " has label " + labels[i] + ", but there are "
            + classNames.size() + " classes");
      }
    }
    return new ImageDataset(shape, pixels, labels, List.copyOf(classNames));
  }

  /** Fails with a clear message when {@code count} samples of {@code shape} cannot share one array. */
  static void checkFits(long count, FeatureShape shape) {
    if (count * shape.numel() > Integer.MAX_VALUE - 16) {
      throw new DatasetException(count + " samples of " + shape + " are too many to hold in memory ("
          + count * shape.numel() + " values; the limit is " + (Integer.MAX_VALUE - 16)
          + "); use a smaller size, fewer frames or fewer samples");
    }
  }

  /** Per-sample shape: {@code C×H×W} for images, {@code C×T×H×W} for clips. */
  public FeatureShape shape() {
    return shape;
  }

  /** Whether samples are clips ({@code C×T×H×W}) rather than images. */
  public boolean isVideo() {
    return shape.rank() == 3;
  }

  public int channels() {
    return shape.channels();
  }

  /** Frames per sample: T for clips, 1 for images. */
  public int frames() {
    return isVideo() ? shape.spatial(0) : 1;
  }

  public int height() {
    return shape.spatial(shape.rank() - 2);
  }

  public int width() {
    return shape.spatial(shape.rank() - 1);
  }

  /** Number of samples. */
  public int size() {
    return labels.length;
  }

  public List<String> classNames() {
    return classNames;
  }

  public int numClasses() {
    return classNames.size();
  }

  /** Channel order in {@link dev.nas.derive.Preprocessing}'s naming: L, RGB, or {@code N-channel}. */
  public String channelOrder() {
    int c = shape.channels();
    return c == 1 ? "L" : c == 3 ? "RGB" : c + "-channel";
  }

  public int label(int sample) {
    return labels[checkSample(sample)];
  }

  /** A copy of all labels. */
  public int[] labels() {
    return labels.clone();
  }

  /** Samples per class, indexed by label. */
  public int[] classCounts() {
    int[] counts = new int[classNames.size()];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  /** One pixel value of an image, 0..255. */
  public int pixel(int sample, int channel, int y, int x) {
    if (isVideo()) {
      throw new IllegalStateException("samples of " + shape + " are clips; give a frame index too");
    }
    return pixel(sample, channel, 0, y, x);
  }

  /** One pixel value of frame {@code t} (0 for images), 0..255. */
  public int pixel(int sample, int channel, int t, int y, int x) {
    checkSample(sample);
    if (channel < 0 || channel >= channels() || t < 0 || t >= frames() || y < 0 || y >= height() || x < 0
        || x >= width()) {
      throw new IndexOutOfBoundsException("pixel (" + channel + ", " + t + ", " + y + ", " + x + ") outside " + shape);
    }
    return pixels[sample * sampleSize + ((channel * frames() + t) * height() + y) * width() + x] & 0xff;
  }

  /**
   * Writes samples {@code indices[from, from + count)} into {@code images} as floats in [0, 1]
   * ({@code count × shape}, row-major, starting at index 0) and their labels into
   * {@code labelsOut[0, count)}. Allocates nothing, so a training loop can reuse its buffers.
   *
   * @param labelsOut may be null when only the images are wanted
   */
  public void fillBatch(int[] indices, int from, int count, float[] images, int[] labelsOut) {
    if (from < 0 || count < 0 || from + count > indices.length) {
      throw new IndexOutOfBoundsException("batch [" + from + ", " + (from + count) + ") outside "
          + indices.length + " indices");
    }
    if ((long) count * sampleSize > images.length) {
      throw new IllegalArgumentException("image buffer holds " + images.length + " floats; a batch of "
          + count + " × " + shape + " needs " + (long) count * sampleSize);
    }
    if (labelsOut != null && labelsOut.length < count) {
      throw new IllegalArgumentException("label buffer holds " + labelsOut.length + " entries, need " + count);
    }
    for (int b = 0; b < count; b++) {
      int sample = checkSample(indices[from + b]);
      int src = sample * sampleSize;
      int dst = b * sampleSize;
      for (int k = 0; k < sampleSize; k++) {
        images[dst + k] = TO_UNIT[pixels[src + k] & 0xff];
      }
      if (labelsOut != null) {
        labelsOut[b] = labels[sample];
      }
    }
  }

  /** {@link #fillBatch(int[], int, int, float[], int[])} for all of {@code indices}. */
  public void fillBatch(int[] indices, float[] images, int[] labelsOut) {
    fillBatch(indices, 0, indices.length, images, labelsOut);
  }

  /** A new data set of the given samples, in the given order (repeats allowed). */
  public ImageDataset subset(int[] indices) {
    byte[] sub = new byte[indices.length * sampleSize];
    int[] subLabels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int sample = checkSample(indices[i]);
      System.arraycopy(pixels, sample * sampleSize, sub, i * sampleSize, sampleSize);
      subLabels[i] = labels[sample];
    }
    return new ImageDataset(shape, sub, subLabels, classNames);
  }

  /** Sums of pixel values and of their squares per channel (over all frames), exact in integer arithmetic. */
  long[][] channelSums() {
    int c = channels();
    int plane = frames() * height() * width();
    long[] sum = new long[c];
    long[] sumSq = new long[c];
    for (int s = 0; s < labels.length; s++) {
      for (int ch = 0; ch < c; ch++) {
        int base = s * sampleSize + ch * plane;
        long a = 0;
        long b = 0;
        for (int k = 0; k < plane; k++) {
          int v = pixels[base + k] & 0xff;
          a += v;
          b += v * v;
        }
        sum[ch] += a;
        sumSq[ch] += b;
      }
    }
    return new long[][] {sum, sumSq};
  }

  private int checkSample(int sample) {
    if (sample < 0 || sample >= labels.length) {
      throw new IndexOutOfBoundsException("sample " + sample + " outside a data set of " + labels.length);
    }
    return sample;
  }

  @Override
  public String toString() {
    return (isVideo() ? "ImageDataset[clips: " : "ImageDataset[") + labels.length + " × " + shape + ", " + classNames.size() + " classes]";
  }
}
