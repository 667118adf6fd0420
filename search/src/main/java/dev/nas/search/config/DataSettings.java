package dev.nas.search.config;

import dev.nas.core.graph.FeatureShape;
import dev.nas.data.DatasetSpec;
import java.util.Objects;

/**
 * What a search learns from.
 *
 * @param dataset dataset name ({@link dev.nas.data.Datasets})
 * @param dataDir folder of a dataset read from disk; null for synthetic ones
 * @param input per-sample input shape ({@code CxHxW}, or {@code CxTxHxW} for clips, as
 *     {@link FeatureShape#toString()} writes it); null keeps the dataset's own
 * @param classes classes of a synthetic dataset (others have their own)
 * @param trainSamples training samples to use (0 = all; for synthetic data, how many to generate)
 * @param testSamples test samples (0 = all / default)
 * @param trainPortion share of the training set used for weights; the rest is the validation split for α
 *     (one-level algorithms have no validation split and ignore it)
 * @param augment random crop and flip of training batches
 * @param frameStride video-folder: frame step inside a clip's window (0 = the loader's default, 2;
 *     SDAS' Section 5 takes 16 consecutive frames, 1)
 */
public record DataSettings(String dataset, String dataDir, String input, int classes, int trainSamples,
    int testSamples, double trainPortion, boolean augment, int frameStride) {
  public DataSettings {
    Objects.requireNonNull(dataset, "dataset");
    Require.that(trainPortion > 0 && trainPortion < 1, "--train-portion must be between 0 and 1");
    Require.that(trainSamples >= 0 && testSamples >= 0, "sample counts must be at least 0 (0 = all)");
    Require.that(frameStride >= 0, "--frame-stride must be positive");
    if (input != null) {
      FeatureShape.parseSample(input);
    }
  }

  /** The dataset to load, with the search's seed for synthetic data and splits. */
  public DatasetSpec spec(long seed) {
    DatasetSpec spec = DatasetSpec.of(dataset).withSeed(seed).withSizes(trainSamples, testSamples);
    if (dataDir != null) {
      spec = spec.withDataDir(java.nio.file.Path.of(dataDir));
    }
    if (input != null) {
      spec = spec.withShape(FeatureShape.parseSample(input));
    }
    if (dataset.equals("synthetic") || dataset.equals("synthetic-video")) {
      spec = spec.withClasses(classes);
    }
    return frameStride > 0 ? spec.withFrameStride(frameStride) : spec;
  }

  public DataSettings withDataset(String name, String folder, String shape, int classCount) {
    return new DataSettings(name, folder, shape, classCount, trainSamples, testSamples, trainPortion, augment,
        frameStride);
  }

  public DataSettings withSamples(int train, int test) {
    return new DataSettings(dataset, dataDir, input, classes, train, test, trainPortion, augment, frameStride);
  }
}
