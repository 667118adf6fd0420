package dev.nas.data;

import java.util.List;

/**
 * A loaded data set's training and test parts, with the same shape and classes, plus anything the
 * loader skipped or noticed (e.g. unreadable images) as human-readable warnings.
 *
 * @param testViews how many consecutive test samples are views of one item: the clips of one
 *     video in a video folder, whose scores an evaluator averages per video ({@link ClipAverage});
 *     1 for everything else
 * @param trainingClips a video folder's training clips, cut afresh every epoch ({@link #train(int)});
 *     null where the training samples are the same every epoch
 */
public record DatasetPair(ImageDataset train, ImageDataset test, List<String> warnings, int testViews,
    TrainingClips trainingClips) {
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
    if (trainingClips != null && trainingClips.size() != train.size()) {
      throw new IllegalArgumentException(trainingClips.size() + " training videos for " + train.size() + " clips");
    }
  }

  public DatasetPair(ImageDataset train, ImageDataset test, List<String> warnings, int testViews) {
    this(train, test, warnings, testViews, null);
  }

  public DatasetPair(ImageDataset train, ImageDataset test, List<String> warnings) {
    this(train, test, warnings, 1);
  }

  public DatasetPair(ImageDataset train, ImageDataset test) {
    this(train, test, List.of(), 1);
  }

  /** Whether the training samples change from epoch to epoch ({@link #train(int)}). */
  public boolean variesByEpoch() {
    return trainingClips != null;
  }

  /**
   * The training samples of 0-based {@code epoch}: {@link #train()} for epoch 0 and for data sets
   * that do not vary, else that epoch's clips, in the same order and with the same labels.
   */
  public ImageDataset train(int epoch) {
    return trainingClips == null || epoch == 0 ? train : trainingClips.epoch(epoch);
  }
}
