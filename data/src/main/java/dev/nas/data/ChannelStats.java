package dev.nas.data;

import dev.nas.derive.Preprocessing;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-channel mean and (population) standard deviation of a data set's pixels scaled to [0, 1],
 * the numbers that go into the network's in-graph normalisation.
 */
public record ChannelStats(List<Double> mean, List<Double> std) {
  public ChannelStats {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (mean.size() != std.size()) {
      throw new IllegalArgumentException("mean and std differ in length");
    }
  }

  /**
   * Measures {@code dataset}. The sums are exact integers, so the result does not depend on
   * summation order or machine.
   */
  public static ChannelStats of(ImageDataset dataset) {
    if (dataset.size() == 0) {
      throw new DatasetException("cannot measure channel statistics of an empty data set");
    }
    long[][] sums = dataset.channelSums();
    double count = (double) dataset.size() * dataset.frames() * dataset.height() * dataset.width();
    List<Double> mean = new ArrayList<>();
    List<Double> std = new ArrayList<>();
    for (int c = 0; c < dataset.channels(); c++) {
      double m = sums[0][c] / count;
      double var = Math.max(0, sums[1][c] / count - m * m);
      mean.add(m / 255.0);
      std.add(Math.sqrt(var) / 255.0);
    }
    return new ChannelStats(mean, std);
  }

  /** {@link #of} turned into the network's preprocessing for {@code dataset}'s channel order. */
  public static Preprocessing preprocessing(ImageDataset dataset) {
    return of(dataset).toPreprocessing(dataset.channelOrder());
  }

  /**
   * As {@link Preprocessing}; a constant channel (std 0) gets std 1 so normalising never divides
   * by zero.
   */
  public Preprocessing toPreprocessing(String channelOrder) {
    List<Float> m = new ArrayList<>();
    List<Float> s = new ArrayList<>();
    for (int c = 0; c < mean.size(); c++) {
      m.add(mean.get(c).floatValue());
      s.add(std.get(c) > 0 ? std.get(c).floatValue() : 1f);
    }
    return new Preprocessing(m, s, channelOrder);
  }
}
