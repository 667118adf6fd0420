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
 * input normalisation measured on the training set.
 */
public record SearchData(DatasetPair pair, ImageDataset full, ImageDataset train, ImageDataset validation,
    Preprocessing preprocessing) {

  /** Loads the data of {@code c}, logging the loader's warnings; refuses splits smaller than one batch. */
  public static SearchData load(SearchConfig c, RunLog log) throws IOException {
    DatasetPair data = Datasets.load(c.datasetSpec());
    data.warnings().forEach(log::warn);
    ImageDataset full = data.train();
    ImageDataset train;
    ImageDataset val;
    if (c.algorithm().usesValidation()) {
      TrainValidation split = Splits.trainValidation(full, 1 - c.data().trainPortion(), c.random().split());
      train = split.train();
      val = split.validation();
    } else {
      // one-level: α and w both learn on the whole training set, which the epoch-end evaluation also uses
      train = full;
      val = full;
    }
    int batch = c.schedule().batch();
    if (train.size() < batch || val.size() < batch) {
      throw new SearchRun.SearchFailed("the training split has " + train.size() + " and the validation split "
          + val.size() + " samples, fewer than one batch of " + batch + "; use more samples or a smaller --batch");
    }
    return new SearchData(data, full, train, val, ChannelStats.preprocessing(full));
  }

  /** Search steps per epoch: one per training batch. */
  public int stepsPerEpoch(int batch) {
    return train.size() / batch;
  }
}
