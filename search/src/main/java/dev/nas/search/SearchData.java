package dev.nas.search;

import dev.nas.core.run.RunLog;
import dev.nas.data.ChannelStats;
import dev.nas.data.DatasetPair;
import dev.nas.data.Datasets;
import dev.nas.data.ImageDataset;
import dev.nas.data.Splits;
import dev.nas.data.TrainValidation;
import dev.nas.derive.Preprocessing;
import java.io.IOException;

/**
 * The data of a search: the training set split into the weights' part and the architecture's
 * validation part (one-level algorithms use the whole set for both), the test set and the
 * input normalisation measured on the training set. A video folder's clips change every epoch
 * ({@link #epoch}); the components hold epoch 0's.
 *
 * @param validationFraction share of the training set in the validation split; 0 for one-level algorithms
 * @param splitSeed the split's seed
 */
public record SearchData(DatasetPair pair, ImageDataset full, ImageDataset train, ImageDataset validation,
    Preprocessing preprocessing, double validationFraction, long splitSeed) {

  /** Loads the data of {@code c}, logging the loader's warnings; refuses splits smaller than one batch. */
  public static SearchData load(SearchConfig c, RunLog log) throws IOException {
    DatasetPair data = Datasets.load(c.datasetSpec());
    data.warnings().forEach(log::warn);
    ImageDataset full = data.train();
    double fraction = c.algorithm().usesValidation() ? 1 - c.data().trainPortion() : 0;
    TrainValidation split = split(full, fraction, c.random().split());
    ImageDataset train = split.train();
    ImageDataset val = split.validation();
    int batch = c.schedule().batch();
    if (train.size() < batch || val.size() < batch) {
      throw new SearchRun.SearchFailed("the training split has " + train.size() + " and the validation split "
          + val.size() + " samples, fewer than one batch of " + batch + "; use more samples or a smaller --batch");
    }
    return new SearchData(data, full, train, val, ChannelStats.preprocessing(full), fraction, c.random().split());
  }

  private static TrainValidation split(ImageDataset full, double validationFraction, long seed) {
    // one-level (fraction 0): α and w both learn on the whole training set, which the epoch-end evaluation also uses
    return validationFraction == 0 ? new TrainValidation(full, full)
        : Splits.trainValidation(full, validationFraction, seed);
  }

  /**
   * The data of 0-based {@code epoch}: this for data that stays the same, else the epoch's clips
   * split into the same videos' training and validation parts, with this one's preprocessing.
   */
  public SearchData epoch(int epoch) {
    if (!pair.variesByEpoch() || epoch == 0) {
      return this;
    }
    ImageDataset clips = pair.train(epoch);
    TrainValidation split = split(clips, validationFraction, splitSeed);
    return new SearchData(pair, clips, split.train(), split.validation(), preprocessing, validationFraction,
        splitSeed);
  }

  /** Search steps per epoch: one per training batch. */
  public int stepsPerEpoch(int batch) {
    return train.size() / batch;
  }
}
