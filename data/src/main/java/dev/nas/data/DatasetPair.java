package dev.nas.data;

import java.util.List;

/**
 * A loaded data set's training and test parts, with the same shape and classes, plus anything the
 * loader skipped or noticed (e.g. unreadable images) as human-readable warnings.
 *
 * @param testViews how many consecutive test samples are views of one item: the clips of one
 *     video in a video folder, whose scores an evaluator averages per video ({@link ClipAverage});
 *     1 for everything else
 */
public record DatasetPair(ImageDataset train, ImageDataset test, List<String> warnings, int testViews) {
  public DatasetPair {
    warnings = List.copyOf(warnings);
    if (!train.shape().equals(test.shape())) {
      throw new IllegalArgumentException("train shape " + train.shape() + " differs from test shape " + test.shape());
    }
    if (!train.classNames().equals(test.classNames())) {
      throw new IllegalArgumentException("train and test have different class lists");
    }
    if (testViews < 1 || test.size() % testViews != 0) {
      throw new IllegalArgumentException(test.size() + " test samples do not form groups of " + testViews + " views");
    }
  }

  public DatasetPair(ImageDataset train, ImageDataset test, List<String> warnings) {
    this(train, test, warnings, 1);
  }

  public DatasetPair(ImageDataset train, ImageDataset test) {
    this(train, test, List.of(), 1);
  }
}
