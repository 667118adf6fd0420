package dev.nas.data;

import java.util.List;

/**
 * A loaded data set's training and test parts, with the same shape and classes, plus anything the
 * loader skipped or noticed (e.g. unreadable images) as human-readable warnings.
 */
public record DatasetPair(ImageDataset train, ImageDataset test, List<String> warnings) {
  public DatasetPair {
    warnings = List.copyOf(warnings);
    if (!train.shape().equals(test.shape())) {
      throw new IllegalArgumentException("train shape " + train.shape() + " differs from test shape " + test.shape());
    }
    if (!train.classNames().equals(test.classNames())) {
      throw new IllegalArgumentException("train and test have different class lists");
    }
  }

  public DatasetPair(ImageDataset train, ImageDataset test) {
    this(train, test, List.of());
  }
}
