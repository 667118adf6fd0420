package dev.nas.data;

import dev.nas.core.graph.FeatureShape;

/**
 * Test-time multi-crop of images ({@code --test-crops 1|5|10}): each test image is scored over
 * several views whose softmax outputs are averaged, the 10-crop of Krizhevsky et al. (AlexNet,
 * Section 4.1) used in ImageNet evaluation: the four corner crops and the centre crop, and with 10
 * views their mirror images as well.
 *
 * <p>The rule for the crops: they are cut at the training crop's size (the image's own) from the
 * image zero-padded by the training crop's padding ({@link Augmentation#cropPadding}, 1/8 of the
 * short side: 4 for CIFAR's 32×32), so the corners are the four most extreme crops training draws
 * and the centre crop is the image itself: one view is exactly the single-view evaluation. nas
 * stores images at the network's input size, so there is no larger test image to crop from; for
 * ImageNet-style data this differs from cropping 224×224 out of a 256-pixel resize.
 *
 * @param views 1 (the image as is), 5 (centre and four corners) or 10 (those and their mirror images)
 * @param padding zero padding on each side the corner crops reach into; 0 only for one view
 */
public record MultiCrop(int views, int padding) {
  /** The image as is: today's single-view evaluation. */
  public static final MultiCrop NONE = new MultiCrop(1, 0);

  public MultiCrop {
    if (views != 1 && views != 5 && views != 10) {
      throw new DatasetException("image test crops are 1, 5 (corners and centre) or 10 (and their mirror images), got "
          + views);
    }
    if (padding < 0 || (views > 1 && padding == 0)) {
      throw new DatasetException("the corner crops need a padding of at least 1 pixel, got " + padding);
    }
  }

  /** {@code views} crops of {@code data}'s images, padded as training pads them. */
  public static MultiCrop of(int views, ImageDataset data) {
    if (data.shape().rank() != 2) {
      throw new DatasetException("multi-crop testing is for images; clips take their crops from the video ("
          + data.shape() + ")");
    }
    return views == 1 ? NONE : new MultiCrop(views, Augmentation.cropPadding(data));
  }

  /**
   * Where view {@code v} is cut: the shift (dy, dx) of {@link Augmentation#shift} (output pixel
   * (y, x) is input pixel (y + dy, x + dx)) and whether it is mirrored. View 0 is the centre, 1–4
   * the top-left, top-right, bottom-left and bottom-right corners of the padded image, 5–9 the
   * same mirrored.
   */
  public int[] placement(int v) {
    if (v < 0 || v >= views) {
      throw new IllegalArgumentException("view " + v + " of " + views);
    }
    int p = padding;
    int[][] at = {{0, 0}, {-p, -p}, {-p, p}, {p, -p}, {p, p}};
    return new int[] {at[v % 5][0], at[v % 5][1], v >= 5 ? 1 : 0};
  }

  /** Turns the first {@code count} images of {@code batch} (as {@link ImageDataset#fillBatch} fills it) into view {@code v}, in place. */
  public void apply(float[] batch, int count, FeatureShape shape, int v) {
    if (shape.rank() != 2) {
      throw new IllegalArgumentException("multi-crop testing is for C×H×W images, not " + shape);
    }
    int[] at = placement(v);
    int size = (int) shape.numel();
    for (int b = 0; b < count; b++) {
      Augmentation.shift(batch, b * size, shape, at[0], at[1]);
      if (at[2] == 1) {
        Augmentation.flipHorizontal(batch, b * size, shape);
      }
    }
  }
}
